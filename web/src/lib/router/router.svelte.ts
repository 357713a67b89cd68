/**
 * The current location, in the History API (the server answers every non-/api path with the app). Pages read
 * `router.path` and `router.query`; links go through `navigate`, so the page changes without a reload.
 */
class Router {
  path = $state(location.pathname);
  search = $state(location.search);

  constructor() {
    addEventListener('popstate', () => this.sync());
  }

  get query(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  navigate(to: string, { replace = false } = {}): void {
    if (replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
  }

  private sync(): void {
    this.path = location.pathname;
    this.search = location.search;
  }
}

export const router = new Router();

/** `onclick` for in-app links: plain clicks navigate in place; modified clicks (new tab…) keep the browser's way. */
export function followLink(event: MouseEvent): void {
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || anchor.target) return;
  event.preventDefault();
  router.navigate(anchor.pathname + anchor.search);
}
