export type TeardownStep = () => Promise<unknown>;

/**
 * What set-up has to undo: each step registers how to undo itself, and `run()` undoes them in reverse order,
 * running every step even after one fails, so a failed benchmark leaves no server or child process behind.
 */
export class Teardown {
  private readonly steps: TeardownStep[] = [];

  add(step: TeardownStep): void {
    this.steps.push(step);
  }

  /** Resolves with the errors of the steps that failed (none: an empty list). */
  async run(): Promise<unknown[]> {
    const errors: unknown[] = [];
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      try {
        await step();
      } catch (error) {
        errors.push(error);
      }
    }
    return errors;
  }
}
