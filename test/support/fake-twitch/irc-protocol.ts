// IRC line grammar as Twitch speaks it: IRCv3 message tags, an optional prefix, a command,
// middle parameters and one trailing parameter. Shared by the fake server (to build lines and
// to read what clients send) and by the tests (to read what the server sends).

export interface IrcMessage {
  /** Tag values already unescaped. A tag sent as `key=` or bare `key` maps to ''. */
  tags: Map<string, string>;
  /** Tag values exactly as they appeared on the wire, still escaped. */
  rawTags: Map<string, string>;
  /** `nick!user@host` or a server name, without the leading ':'; '' when absent. */
  prefix: string;
  /** Upper-cased command or three-digit numeric. */
  command: string;
  /** All parameters, the trailing one last and without its ':'. */
  params: string[];
  raw: string;
}

// IRCv3 message-tags escaping, which Twitch follows: `;` -> `\:`, space -> `\s`,
// `\` -> `\\`, CR -> `\r`, LF -> `\n`. Twitch relies on it for display names and system-msg
// texts such as `system-msg=430\sraiders\sfrom\siamelisabete\shave\sjoined!`.
const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  ';': '\\:',
  ' ': '\\s',
  '\r': '\\r',
  '\n': '\\n',
};
const UNESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

export function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) => ESCAPES[c] ?? c);
}

/** Inverse of escapeTagValue; an unknown escape `\x` becomes `x` and a lone trailing `\` is dropped, as the spec says. */
export function unescapeTagValue(value: string): string {
  return value.replace(/\\(.?)/gs, (_, c: string) => UNESCAPES[c] ?? c);
}

/**
 * `@a=1;b=x\sy` from [name, value] pairs, values escaped. Pairs keep the given order: callers
 * sort them when they imitate Twitch, which sends its tags in alphabetical order.
 */
export function formatTags(tags: Iterable<readonly [string, string]>): string {
  const parts: string[] = [];
  for (const [name, value] of tags) parts.push(`${name}=${escapeTagValue(value)}`);
  return parts.length === 0 ? '' : `@${parts.join(';')}`;
}

/** Tags in alphabetical order of their names, the order Twitch uses on the wire. */
export function sortedTags(tags: Record<string, string>): [string, string][] {
  return Object.entries(tags).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Parses one line (without CR LF). Returns undefined for a line with no command, which the
 * server ignores as Twitch does.
 */
export function parseIrcLine(raw: string): IrcMessage | undefined {
  let rest = raw;
  const tags = new Map<string, string>();
  const rawTags = new Map<string, string>();
  if (rest.startsWith('@')) {
    const end = rest.indexOf(' ');
    const tagText = end === -1 ? rest.slice(1) : rest.slice(1, end);
    rest = end === -1 ? '' : rest.slice(end + 1);
    for (const part of tagText.split(';')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const name = eq === -1 ? part : part.slice(0, eq);
      const value = eq === -1 ? '' : part.slice(eq + 1);
      rawTags.set(name, value);
      tags.set(name, unescapeTagValue(value));
    }
  }
  rest = rest.replace(/^ +/, '');
  let prefix = '';
  if (rest.startsWith(':')) {
    const end = rest.indexOf(' ');
    prefix = end === -1 ? rest.slice(1) : rest.slice(1, end);
    rest = end === -1 ? '' : rest.slice(end + 1);
  }
  const params: string[] = [];
  let command = '';
  while (rest.length > 0) {
    rest = rest.replace(/^ +/, '');
    if (rest === '') break;
    if (command !== '' && rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const end = rest.indexOf(' ');
    const token = end === -1 ? rest : rest.slice(0, end);
    rest = end === -1 ? '' : rest.slice(end + 1);
    if (command === '') command = token.toUpperCase();
    else params.push(token);
  }
  if (command === '') return undefined;
  return { tags, rawTags, prefix, command, params, raw };
}

/** The nick of a `nick!user@host` prefix. */
export function prefixNick(prefix: string): string {
  const bang = prefix.indexOf('!');
  return bang === -1 ? prefix : prefix.slice(0, bang);
}

/** The prefix Twitch gives a chatter's lines: `login!login@login.tmi.twitch.tv`. */
export function userPrefix(login: string): string {
  return `${login}!${login}@${login}.tmi.twitch.tv`;
}

export const SERVER_NAME = 'tmi.twitch.tv';
