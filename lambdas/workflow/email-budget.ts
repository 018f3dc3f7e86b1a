/**
 * Lines that stop growing once the message budget is spent. SNS takes a message of at most
 * 256 KiB; anything more fails the Publish, and with it the run before the ledger is written, so
 * the next run would fail on the same email. The budget leaves room for the "left out" lines.
 */
export const MESSAGE_BUDGET = 240 * 1024;

export class BudgetedLines {
  readonly lines: string[] = [];
  private size = 0;
  private full = false;

  constructor(private readonly budget = MESSAGE_BUDGET) {}

  /** Adds the lines if they fit; returns whether they did. Once one block does not fit, none does. */
  push(text: readonly string[]): boolean {
    const cost = Buffer.byteLength(text.join('\n')) + 1;
    if (this.full || this.size + cost > this.budget) {
      this.full = true;
      return false;
    }
    this.size += cost;
    this.lines.push(...text);
    return true;
  }

  /** Adds one block per item while they fit; returns how many were added. */
  pushEach<T>(items: readonly T[], render: (item: T) => readonly string[]): number {
    let shown = 0;
    for (const item of items) {
      if (!this.push(render(item))) break;
      shown++;
    }
    return shown;
  }

  /** A line that is always kept (the budget keeps room for these). */
  force(line: string): void {
    this.lines.push(line);
  }
}
