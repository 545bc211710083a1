/**
 * Looking up a name that comes from the data (a feature, a column, a group) in a plain object parsed
 * from JSON. `labels["constructor"]` is Object's constructor, and `labels["__proto__"]` its prototype,
 * unless the file itself holds that key: a model with a coefficient named `toString` must not get a
 * function for a label. Every such lookup goes through `own` (or uses a Map).
 */

/** `record[key]` when the record holds `key` itself; undefined otherwise, never an Object.prototype member. */
export function own<V>(record: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
