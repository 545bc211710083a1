// Types for the validators scripts/compile-schemas.mjs generates.
export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
export interface Validator {
  (data: unknown): boolean;
  errors?: SchemaError[] | null;
}
export const validateProject: Validator;
export const validateModel: Validator;
