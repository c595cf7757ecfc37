import type { ErrorObject } from 'ajv';

export interface SchemaIssue {
  /** JSON pointer to the offending value (`/changes/name`); empty for the whole value. */
  readonly path: string;
  readonly message: string;
}

const MAX_ISSUES_IN_MESSAGE = 10;

/** `/name must NOT have more than 200 characters; /stage is required` (bounded, whatever the input). */
export function formatIssues(issues: readonly SchemaIssue[]): string {
  const shown = issues.slice(0, MAX_ISSUES_IN_MESSAGE).map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message));
  const more = issues.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** Data did not match its JSON Schema, or no schema exists for the type (and version) asked for. */
export class SchemaValidationError extends Error {
  constructor(
    readonly kind: 'event' | 'command' | 'integration-event',
    readonly type: string,
    readonly version: number | undefined,
    readonly issues: readonly SchemaIssue[],
  ) {
    super(`${type}${version === undefined ? '' : ` v${version}`}: ${formatIssues(issues)}`);
    this.name = 'SchemaValidationError';
  }
}

/** A property name from the input as a JSON pointer segment, cut short: it may be arbitrarily long. */
const segment = (error: ErrorObject, name: string): string => {
  const value: unknown = (error.params as Record<string, unknown>)[name];
  const text = typeof value === 'string' ? value : '';
  return (text.length > 100 ? `${text.slice(0, 100)}...` : text).replace(/~/g, '~0').replace(/\//g, '~1');
};

/** Ajv errors as issues that point at the offending property itself (missing and unknown ones included). */
export function issuesFromAjv(errors: readonly ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? [])
    .filter((error) => error.keyword !== 'if')
    .map((error) => {
      switch (error.keyword) {
        case 'required':
          return { path: `${error.instancePath}/${segment(error, 'missingProperty')}`, message: 'is required' };
        case 'additionalProperties':
          return { path: `${error.instancePath}/${segment(error, 'additionalProperty')}`, message: 'is not an allowed property' };
        case 'enum': {
          const allowed: unknown = (error.params as Record<string, unknown>)['allowedValues'];
          const list = Array.isArray(allowed) ? allowed.map(String).join(', ') : '';
          return { path: error.instancePath, message: `must be one of ${list}` };
        }
        case 'pattern': {
          // Schemas describe their patterns in words (`description`): a regex is no message for a user.
          const described: unknown = (error.parentSchema)?.['description'];
          return { path: error.instancePath, message: typeof described === 'string' ? `must be ${described}` : (error.message ?? 'is malformed') };
        }
        default:
          return { path: error.instancePath, message: error.message ?? error.keyword };
      }
    });
}
