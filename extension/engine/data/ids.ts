/** Case ids as they are compared and looked up (the case file, `--case`, the panel's Go to case). */

/**
 * An id as ids are compared: Unicode NFC, so that "José" typed with a composed é and with e + a combining
 * accent is one id (they look the same, and editors and systems change one into the other). The id
 * itself is kept and shown as the file has it.
 */
export function idKey(id: string): string {
  // Pure ASCII (most ids) is its own NFC; only other text needs normalising.
  return /^[\x00-\x7f]*$/.test(id) ? id : id.normalize('NFC');
}

/** The index of an id someone typed among `ids`: as written, else the same id in another Unicode form; -1 when none. */
export function findId(ids: readonly string[], typed: string): number {
  const exact = ids.indexOf(typed);
  if (exact >= 0) return exact;
  const key = idKey(typed);
  return ids.findIndex((id) => idKey(id) === key);
}
