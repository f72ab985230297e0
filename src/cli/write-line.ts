// Writes one line and waits when the reader is slower than we are (a pipe, a slow terminal).
import { once } from 'node:events';
import type { Writable } from 'node:stream';

export async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(line + '\n')) await once(out, 'drain');
}
