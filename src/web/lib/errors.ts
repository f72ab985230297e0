/** A thrown value as an Error, for state that shows its message. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
