import { reportingFailures } from './report-failures';

describe('reportingFailures', () => {
  it('clears the last failure when an action starts and keeps it clear when the action succeeds', async () => {
    const reported: unknown[] = [];
    const act = reportingFailures((failure) => reported.push(failure));
    let ran = false;
    await act(async () => {
      expect(reported).toEqual([null]);
      ran = true;
    });
    expect(ran).toBe(true);
    expect(reported).toEqual([null]);
  });

  it('reports what the action throws, after clearing, and resolves instead of rejecting', async () => {
    const reported: unknown[] = [];
    const act = reportingFailures((failure) => reported.push(failure));
    const failure = new Error('403 forbidden');
    await expect(
      act(async () => {
        throw failure;
      }),
    ).resolves.toBeUndefined();
    expect(reported).toEqual([null, failure]);
  });
});
