/** The token is missing, malformed, badly signed, expired or lacks a claim; `reason` is safe to show. */
export class AuthenticationError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'AuthenticationError';
  }
}
