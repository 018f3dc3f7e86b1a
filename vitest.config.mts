import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup/no-network.ts', 'test/setup/clean-env.ts'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    // A guard against hangs, not a speed assertion: on a 2-core machine shared with other work a
    // local workflow run or a 10,000-instance scan can take several times its idle time.
    testTimeout: 60_000,
    // Workers are child processes: each has its own process.env, globals and dynalite servers.
    pool: 'forks',
    // Vitest's default on `run` is one worker less than the CPUs: one worker on a 2-core machine.
    // The tests are CPU-bound in their own process, so one worker per core.
    maxWorkers: 2,
    // Most of a file's time was importing the same modules again (aws-cdk-lib, the SDK clients,
    // the stack): a worker keeps them, and the synthesized stack, between files. Each test file
    // still runs afresh; none may leave state behind: clean-env.ts fails a file that leaves
    // process.env changed, no-network.ts patches sockets once, class-wide SDK mocks are restored.
    isolate: false,
  },
});
