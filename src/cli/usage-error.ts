// A mistake in how a command was called (missing file, bad flag value): reported as one line.
export class UsageError extends Error {
  override name = 'UsageError';
}
