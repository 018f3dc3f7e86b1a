/**
 * Vitest workers run test file after test file in one process (`isolate: false`): a file that
 * left `process.env` changed would change what every later file sees, depending on the order.
 * So each file must leave it as it found it; one that does not fails, naming the variables, and
 * the environment is put back for the next file.
 */
import { afterAll, beforeAll } from 'vitest';

let before: Record<string, string | undefined> = {};

beforeAll(() => {
  before = { ...process.env };
});

afterAll(() => {
  const after: Record<string, string | undefined> = { ...process.env };
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((name) => before[name] !== after[name])
    .sort();
  if (!changed.length) return;
  for (const name of changed) {
    if (before[name] === undefined) delete process.env[name];
    else process.env[name] = before[name];
  }
  throw new Error(
    `This test file left process.env changed: ${changed.join(', ')}. Restore what a test sets.`,
  );
});
