/** Why leaving the current page would lose something (asked before leaving), or null when nothing would be lost. */
export type LeaveGuard = () => string | null;

/**
 * The current location, in the History API (the server answers every non-/api path with the app). Pages read
 * `router.path` and `router.query`; links go through `navigate`, so the page changes without a reload. A page
 * with unsaved work guards leaving it (`guardLeaving`).
 */
class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  private guard: LeaveGuard | null = null;

  constructor() {
    addEventListener('popstate', () => {
      // Back/forward has already moved the address: put it back when the user chooses to stay.
      if (this.mayLeave()) this.sync();
      else history.pushState(null, '', this.path + this.search);
    });
  }

  /**
   * Asks before in-app navigation, back/forward, reload or tab close while `guard` answers a reason; the answered
   * function removes the guard.
   */
  guardLeaving(guard: LeaveGuard): () => void {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (guard() === null) return;
      event.preventDefault();
      // Chromium before 119 and Safari show their own prompt only when returnValue is set.
      event.returnValue = '';
    };
    this.guard = guard;
    addEventListener('beforeunload', beforeUnload);
    return () => {
      if (this.guard === guard) this.guard = null;
      removeEventListener('beforeunload', beforeUnload);
    };
  }

  get query(): URLSearchParams {
    return new URLSearchParams(this.search);
  }

  navigate(to: string, { replace = false } = {}): void {
    if (!this.mayLeave()) return;
    if (replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    this.sync();
  }

  private mayLeave(): boolean {
    const reason = this.guard?.() ?? null;
    return reason === null || confirm(`${reason}\n\nLeave anyway?`);
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
