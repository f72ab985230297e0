// Kafka reports failures by error name (its protocol's error codes); the client nests them.
/** Whether a client error (or one it wraps) carries Kafka's error name `apiId`. */
export function mentions(error: unknown, apiId: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const {
    apiId: own,
    errors,
    cause,
  } = error as { apiId?: string; errors?: unknown; cause?: unknown };
  if (own === apiId) return true;
  if (Array.isArray(errors) && errors.some((inner) => mentions(inner, apiId))) return true;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    if (Object.values(errors).some((inner) => mentions(inner, apiId))) return true;
  }
  return cause !== undefined && mentions(cause, apiId);
}
