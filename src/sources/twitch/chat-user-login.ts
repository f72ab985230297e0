// Chat as the user of the token file instead of anonymously. The chat side asks for
// credentials at every dial and reports a refused login synchronously; the refresh it calls
// for is asynchronous, so the refusal is remembered and the next dial refreshes before it
// hands out the token.
import type { ChatCredentials } from './chat-options.ts';
import type { UserTokenFile } from './user-token-file.ts';

export interface ChatUserLogin {
  credentials: () => Promise<ChatCredentials>;
  onAuthenticationFailed: () => void;
}

export function chatUserLogin(tokens: UserTokenFile): ChatUserLogin {
  let lastGiven: string | undefined;
  let refused: string | undefined;
  return {
    credentials: async () => {
      const token = refused === undefined ? await tokens.current() : await tokens.refresh(refused);
      refused = undefined;
      lastGiven = token.accessToken;
      return { login: token.login, accessToken: token.accessToken };
    },
    onAuthenticationFailed: () => {
      refused = lastGiven;
    },
  };
}
