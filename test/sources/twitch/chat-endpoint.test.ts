import { describe, expect, it } from 'vitest';
import { ircEndpoint } from '../../../src/sources/twitch/chat-options.ts';

describe('ircEndpoint', () => {
  it("dials Twitch's own host with TLS on 6697 by default", () => {
    expect(ircEndpoint({})).toEqual({ host: 'irc.chat.twitch.tv', port: 6697, tls: true });
    expect(ircEndpoint({ host: 'irc.chat.twitch.tv', port: 443 })).toEqual({
      host: 'irc.chat.twitch.tv',
      port: 443,
      tls: true,
    });
  });

  it("dials Twitch's plain-text port and any other host without TLS", () => {
    expect(ircEndpoint({ host: 'irc.chat.twitch.tv', port: 6667 })).toEqual({
      host: 'irc.chat.twitch.tv',
      port: 6667,
      tls: false,
    });
    expect(ircEndpoint({ host: '127.0.0.1' })).toEqual({
      host: '127.0.0.1',
      port: 6667,
      tls: false,
    });
    expect(ircEndpoint({ host: '127.0.0.1', port: 40123 })).toEqual({
      host: '127.0.0.1',
      port: 40123,
      tls: false,
    });
  });

  it('lets tls be chosen, with its port following', () => {
    expect(ircEndpoint({ host: 'irc.example.org', tls: true })).toEqual({
      host: 'irc.example.org',
      port: 6697,
      tls: true,
    });
  });
});
