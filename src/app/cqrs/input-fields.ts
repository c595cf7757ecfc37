import { DomainError } from '../../shared/decider';
import { SchemaValidationError } from '../../shared/schemas/schema-validation-error';
import type { SchemaRegistry } from '../../shared/schemas/schema-registry';
import { ApiError } from '../graphql/api-error';
import { fieldOfPointer } from '../graphql/classify-error';

/** Command data field -> GraphQL input field, where they differ (`ventureId` is `id` in CreateVentureInput). */
export type FieldNames = Readonly<Record<string, string>>;

/**
 * Validates command data against its JSON Schema before anything is read or reserved, and reports the first
 * offending field by its name in the GraphQL input.
 */
export function validateCommandData(schemas: SchemaRegistry, type: string, data: unknown, names: FieldNames = {}): void {
  try {
    schemas.validateCommand(type, data);
  } catch (error: unknown) {
    throw renameFields(error, names);
  }
}

/** Runs `work`, renaming the `field` of a bad-input error from command terms to input terms. */
export async function inInputTerms<T>(names: FieldNames, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error: unknown) {
    throw renameFields(error, names);
  }
}

function renameFields(error: unknown, names: FieldNames): unknown {
  const rename = (field: string | undefined): string | undefined => (field === undefined ? undefined : (names[field] ?? field));
  if (error instanceof SchemaValidationError) {
    const fields = error.issues.map((issue) => rename(fieldOfPointer(issue.path)) ?? 'input');
    const message = error.issues
      .slice(0, 10)
      .map((issue, i) => `${fields[i] ?? 'input'} ${issue.message}`)
      .join('; ');
    return new ApiError('BAD_USER_INPUT', message, fields[0]);
  }
  if (error instanceof DomainError && error.field !== undefined && names[error.field] !== undefined) {
    return new DomainError(error.code, error.message, rename(error.field));
  }
  if (error instanceof ApiError && error.field !== undefined && names[error.field] !== undefined) {
    return new ApiError(error.code, error.message, rename(error.field));
  }
  return error;
}
