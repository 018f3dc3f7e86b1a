/** What the CLI writes to and reads from, injected so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour only when a person is watching. */
  color: boolean;
  /** Progress lines on stderr only when a person watches it (stderr is a terminal). */
  progress?: boolean;
  /** Terminal width for the table (default 120). */
  columns?: number;
  env: Readonly<Record<string, string | undefined>>;
}

/** A mistake the user can fix: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const EXIT = { clean: 0, findings: 1, usage: 2 } as const;
