import { createHmac, timingSafeEqual } from 'node:crypto';

/** `X-Payment-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">` (several v1 during a secret rotation). */
export const SIGNATURE_HEADER = 'x-payment-signature';
export const DEFAULT_TOLERANCE_SECONDS = 300;

export const signature = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export const signatureHeader = (secret: string, timestamp: number, body: string): string => `t=${timestamp},v1=${signature(secret, timestamp, body)}`;

export type Verification =
  | { readonly ok: true; readonly timestamp: number }
  | { readonly ok: false; readonly reason: 'missing' | 'malformed' | 'stale' | 'invalid' };

/** Checks the signature over the raw body and refuses a timestamp more than `toleranceSeconds` away from now. */
export function verifySignature(secret: string, body: string, header: string | undefined, nowSeconds: number, toleranceSeconds = DEFAULT_TOLERANCE_SECONDS): Verification {
  if (header === undefined || header === '') return { ok: false, reason: 'missing' };
  const pairs = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(pairs.find(([k]) => k === 't')?.[1]);
  const candidates = pairs.filter(([k, v]) => k === 'v1' && typeof v === 'string' && /^[0-9a-f]{64}$/.test(v)).map(([, v]) => v as string);
  if (!Number.isSafeInteger(timestamp) || candidates.length === 0) return { ok: false, reason: 'malformed' };
  const expected = Buffer.from(signature(secret, timestamp, body), 'hex');
  const valid = candidates.some((c) => timingSafeEqual(Buffer.from(c, 'hex'), expected));
  if (!valid) return { ok: false, reason: 'invalid' };
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return { ok: false, reason: 'stale' };
  return { ok: true, timestamp };
}
