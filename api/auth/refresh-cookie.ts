import type { CookieOptions, Request, Response } from 'express';
import type { RefreshedSessionResponse, SessionResponse } from '../../contract/auth';
import { ApiError } from '../http/api-error';
import { REFRESH_TOKEN_TTL_MS } from '../services/account-service';

/**
 * The canvas's refresh token travels only in this cookie: httpOnly, so no script on the page (an injected one
 * included) can read it; SameSite=Strict, so no other site's form or fetch can spend it; and sent to the auth routes
 * alone, so no other answer of the origin ever sees it.
 */
export const REFRESH_COOKIE = 'kai_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

function cookieOptions(request: Request): CookieOptions {
  return { httpOnly: true, sameSite: 'strict', secure: servedOverHttps(request), path: REFRESH_COOKIE_PATH };
}

/**
 * Secure when the browser reached us over https, directly or through a proxy that terminates TLS. Trusting the
 * proxy's header here is safe: a forged one only makes the cookie stricter for whoever forged it.
 */
function servedOverHttps(request: Request): boolean {
  return request.secure || request.get('x-forwarded-proto')?.split(',')[0].trim().toLowerCase() === 'https';
}

export function setRefreshCookie(request: Request, response: Response, refreshToken: string): void {
  response.cookie(REFRESH_COOKIE, refreshToken, { ...cookieOptions(request), maxAge: REFRESH_TOKEN_TTL_MS });
}

export function clearRefreshCookie(request: Request, response: Response): void {
  response.clearCookie(REFRESH_COOKIE, cookieOptions(request));
}

/** The refresh token of the cookie, if the request carries one (the body's, for clients without cookies, wins). */
export function refreshTokenOfCookie(request: Request): string | undefined {
  for (const pair of (request.get('cookie') ?? '').split(';')) {
    const at = pair.indexOf('=');
    // Tokens are base64url, which cookie encoding leaves as it is: nothing to decode.
    if (at > 0 && pair.slice(0, at).trim() === REFRESH_COOKIE) return pair.slice(at + 1).trim() || undefined;
  }
  return undefined;
}

/** A new session's answer: its refresh token also goes into the cookie, which is what the canvas keeps. */
export function sessionWithCookie(request: Request, response: Response, session: SessionResponse): SessionResponse {
  setRefreshCookie(request, response, session.refreshToken);
  return session;
}

/**
 * Spends the body's refresh token or else the cookie's. The new one always goes into the cookie, and into the body
 * only for a client that sent its token in the body. A token refused (spent, revoked, expired) clears the cookie, so
 * the browser stops offering it.
 */
export async function spendRefreshToken(
  request: Request,
  response: Response,
  fromBody: string | undefined,
  refresh: (token: string) => Promise<SessionResponse>,
): Promise<RefreshedSessionResponse> {
  const token = fromBody ?? refreshTokenOfCookie(request);
  if (!token) throw ApiError.unauthorized(`no refresh token: send the ${REFRESH_COOKIE} cookie or refreshToken in the body`);
  let session: SessionResponse;
  try {
    session = await refresh(token);
  } catch (error) {
    clearRefreshCookie(request, response);
    throw error;
  }
  const { refreshToken, ...withoutToken } = sessionWithCookie(request, response, session);
  return fromBody ? { ...withoutToken, refreshToken } : withoutToken;
}
