/** Runs one of a page's actions; what it throws goes to the page's error banner instead of its caller. */
export type Act = (action: () => Promise<void>) => Promise<void>;

/**
 * An `act` for a page whose buttons share one error banner: each action first clears the banner (its failure, if
 * any, replaces the last one rather than sitting beside a stale message) and never rejects, so `onclick` handlers
 * and effects can call it without a catch of their own.
 *
 * @example
 * let error = $state<unknown>(null);
 * const act = reportingFailures((failure) => (error = failure));
 * const load = () => act(async () => void (items = await api.list()));
 */
export function reportingFailures(report: (failure: unknown) => void): Act {
  return async (action) => {
    report(null);
    try {
      await action();
    } catch (caught) {
      report(caught);
    }
  };
}
