/**
 * Logs a recurring problem when it starts, when it changes and when it ends — so an outage of
 * hours, checked every second, writes a few lines instead of one a second.
 */
export class ProblemLog {
  private current: string | null = null;
  private readonly what: string;
  private readonly write: (line: string) => void;

  constructor(what: string, write: (line: string) => void = (line) => console.error(line)) {
    this.what = what;
    this.write = write;
  }

  report(problem: string | null): void {
    if (problem === this.current) return;
    this.write(problem ? `labgate: ${this.what} failed: ${problem}` : `labgate: ${this.what} works again`);
    this.current = problem;
  }
}
