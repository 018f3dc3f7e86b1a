/**
 * Step Functions refuses state input or output over 256 KiB. States carry references only, so a
 * 10,000-instance region must stay far below that on every state of a real (local) execution.
 */
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../support/bench/generate-world.ts';
import { run, withTable } from './harness.ts';

const STATE_PAYLOAD_LIMIT = 256 * 1024;

describe('a 10,000-instance region', () => {
  it('keeps every state input and output under the 256 KiB limit', { timeout: 120_000 }, async () => {
    const world = generateWorld({ instances: 10_000, candidateShare: 0.1, vpcs: 50, roles: 200, seed: 7 });
    await withTable(async (dynamo) => {
      const result = await run(dynamo, world, { settings: { 'remediation-mode': 'on' } });

      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toMatchObject({ candidates: 1000, report: { findings: 1000 } });
      const sizes = result.events.flatMap((event) =>
        'state' in event
          ? [
              JSON.stringify(event.state.input ?? null).length,
              JSON.stringify(event.state.output ?? null).length,
            ]
          : [],
      );
      expect(sizes.length).toBeGreaterThan(20);
      expect(Math.max(...sizes)).toBeLessThan(STATE_PAYLOAD_LIMIT / 16);
      expect(
        result.events.filter((e) => e.type === 'StateEntered' && e.state.name === 'Diagnose batch'),
      ).toHaveLength(10);
    });
  });
});
