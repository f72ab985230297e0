// Turns one line of text into a canonical event, or a reason a person can act on.
import { chatFastPath } from './chat-fast-path.ts';
import { EventSchema, type StreamEvent } from './schema.ts';

export type Decoded = { ok: true; event: StreamEvent } | { ok: false; reason: string };

export function decodeEvent(line: string): Decoded {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
  }
  return validateEvent(raw);
}

export function validateEvent(raw: unknown): Decoded {
  // Valid chat, nearly every line, skips zod; anything else (or anything odd) goes through it.
  const chat = chatFastPath(raw);
  if (chat !== null) return { ok: true, event: chat };
  const result = EventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(event)';
  return { ok: false, reason: `${field}: ${issue?.message ?? 'invalid event'}` };
}
