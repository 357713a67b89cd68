import type { TokenStore } from './api-client';

let accessToken: string | null = null;

/**
 * The access token, in memory only: nothing a script could read survives the page. A reload gets a new one from
 * the refresh token, which lives in an httpOnly cookie the page cannot read (see ApiClient.restore).
 */
export const memoryTokenStore: TokenStore = {
  read: () => accessToken,
  write(token) {
    accessToken = token;
  },
};
