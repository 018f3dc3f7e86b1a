/**
 * Step Functions refuses state input or output over 256 KiB. States carry references only (run id,
 * batch numbers, counters), so no state may grow with the fleet. Two regions run through the local
 * workflow in the same number of batches, one with four times the candidates of the other: a state
 * that carried anything per candidate or per finding (an instance id alone is 19 bytes) would make
 * the larger run's biggest state grow by more than a byte per added candidate, and that fails.
 * What does not grow per candidate, extrapolated to a 10,000-instance region (1,000 candidates),
 * must stay under 16 KiB. (Running 10,000 instances itself proved the same bound in ~50 s.)
 */
import { describe, expect, it } from 'vitest';
import { generateWorld } from '../support/bench/generate-world.ts';
import { run, withTable } from './harness.ts';

const STATE_PAYLOAD_LIMIT = 256 * 1024;
const BATCHES = 10;

/** The largest state input or output of a run with remediation on, and its candidates. */
async function largestState(instances: number) {
  const world = generateWorld({ instances, candidateShare: 0.1, vpcs: 10, roles: 40, seed: 7 });
  const candidates = instances / 10;
  return withTable(async (dynamo) => {
    const result = await run(dynamo, world, {
      settings: { 'remediation-mode': 'on' },
      batchSize: candidates / BATCHES,
    });

    expect(result.status).toBe('SUCCEEDED');
    expect(result.output).toMatchObject({ candidates, report: { findings: candidates } });
    expect(
      result.events.filter((e) => e.type === 'StateEntered' && e.state.name === 'Diagnose batch'),
    ).toHaveLength(BATCHES);
    const sizes = result.events.flatMap((event) =>
      'state' in event
        ? [
            JSON.stringify(event.state.input ?? null).length,
            JSON.stringify(event.state.output ?? null).length,
          ]
        : [],
    );
    expect(sizes.length).toBeGreaterThan(20);
    return { candidates, bytes: Math.max(...sizes) };
  });
}

describe('state payloads', () => {
  it('do not grow with the fleet, so a 10,000-instance region stays far under the 256 KiB limit', {
    timeout: 120_000,
  }, async () => {
    const small = await largestState(200);
    const large = await largestState(800);

    const perCandidate = (large.bytes - small.bytes) / (large.candidates - small.candidates);
    expect(perCandidate).toBeLessThan(1);
    const atTenThousand = small.bytes + Math.max(0, perCandidate) * (1_000 - small.candidates);
    expect(atTenThousand).toBeLessThan(STATE_PAYLOAD_LIMIT / 16);
  });
});
