/** A caller of a running API's JSON routes under `base` that throws, with the answer's text, on any non-2xx status. */
export function jsonCaller(base: string) {
  return async <T>(method: string, route: string, token?: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };
}
