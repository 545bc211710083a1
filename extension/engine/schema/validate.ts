/** Checks a parsed project or model file against its JSON Schema and names the first problem. */
import { InputError } from '../errors';
import { validateModel, validateProject, type SchemaError, type Validator } from './validators.generated';

function describe(e: SchemaError): string {
  const where = e.instancePath ? `"${e.instancePath.slice(1).replace(/\//g, '.')}"` : 'the file';
  if (e.keyword === 'additionalProperties') return `${where} has an unknown property "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'required') return `${where} needs the property "${String(e.params.missingProperty)}"`;
  if (e.keyword === 'enum' || e.keyword === 'const') {
    const allowed = (e.params.allowedValues as unknown[] | undefined) ?? [e.params.allowedValue];
    return `${where} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${where} ${e.message ?? 'is not valid'}`;
}

function check(validator: Validator, data: unknown, file: string, what: string): void {
  if (validator(data)) return;
  const errors = validator.errors ?? [];
  // The most specific (deepest) error is the useful one; "if"/"oneOf" only say that a branch failed.
  const rank = (e: SchemaError) => e.instancePath.length - (e.keyword === 'if' || e.keyword === 'oneOf' ? 0.5 : 0);
  const best = [...errors].sort((a, b) => rank(b) - rank(a))[0];
  throw new InputError(best ? `is not a valid ${what}: ${describe(best)}` : `is not a valid ${what}`, { file });
}

export function checkProject(data: unknown, file: string): void {
  check(validateProject, data, file, 'Risk Review project');
}

export function checkModel(data: unknown, file: string): void {
  check(validateModel, data, file, 'Risk Review model');
}
