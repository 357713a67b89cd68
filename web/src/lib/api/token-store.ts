import type { TokenStore, Tokens } from './api-client';

const KEY = 'kai.session';

/** Tokens in localStorage, so a reload stays signed in (the access token lives 15 minutes; refresh renews it). */
export const localTokenStore: TokenStore = {
  read() {
    const stored = localStorage.getItem(KEY);
    if (!stored) return null;
    try {
      return JSON.parse(stored) as Tokens;
    } catch {
      localStorage.removeItem(KEY);
      return null;
    }
  },
  write(tokens) {
    if (tokens) localStorage.setItem(KEY, JSON.stringify(tokens));
    else localStorage.removeItem(KEY);
  },
};
