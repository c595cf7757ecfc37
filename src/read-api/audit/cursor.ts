import { badUserInput } from '../../app/graphql/api-error';

/**
 * Opaque cursors: base64url of `<kind>:<payload>`. The kind stops a cursor of one list being used on another;
 * a cursor that does not decode is refused with BAD_USER_INPUT naming the `after` argument.
 */
export function encodeCursor(kind: string, payload: string): string {
  return Buffer.from(`${kind}:${payload}`, 'utf8').toString('base64url');
}

export function decodeCursor(kind: string, cursor: string, valid: (payload: string) => boolean): string {
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const prefix = `${kind}:`;
  const payload = text.startsWith(prefix) ? text.slice(prefix.length) : undefined;
  if (payload === undefined || !valid(payload)) throw badUserInput('after', 'after is not a cursor of this list');
  return payload;
}

const POSITION = /^(0|[1-9][0-9]{0,18})$/;
export const encodePositionCursor = (position: string): string => encodeCursor('log', position);
export const decodePositionCursor = (cursor: string): string => decodeCursor('log', cursor, (p) => POSITION.test(p));
