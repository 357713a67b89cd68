/** What `npm start` has started, stopped in the reverse order; one step failing does not keep the others running. */
export class Teardown {
  private readonly steps: { what: string; stop: () => Promise<void> }[] = [];

  constructor(private readonly report: (line: string) => void) {}

  add(what: string, stop: () => Promise<void>): void {
    this.steps.push({ what, stop });
  }

  async run(): Promise<void> {
    for (const { what, stop } of this.steps.splice(0).reverse()) {
      try {
        await stop();
      } catch (error) {
        this.report(`${what} did not stop cleanly: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
