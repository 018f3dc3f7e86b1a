/**
 * The circuit breaker (DESIGN.md "Remediation"): more instances newly unmanaged since the last
 * reported run than `circuit-breaker-threshold`, and the run changes nothing and says why. The
 * first run has nothing to compare with, so its count alone never trips it.
 */
import { describe, expect, it } from 'vitest';
import { RunStore } from '../../lambdas/workflow/store.ts';
import { archivedReport, run, sampleFleet, withTable } from './harness.ts';

const ON = { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' };

describe('the circuit breaker', () => {
  it('applies nothing when more instances became unmanaged since the last run than the threshold', async () => {
    await withTable(async (dynamo) => {
      // A run reported before, and left no open problem: all 21 candidates are new.
      await new RunStore(dynamo.client, dynamo.tableName, () => new Date()).putLastReportedRun(
        'an-earlier-run',
        new Date('2026-11-30T00:00:00Z'),
      );

      const result = await run(dynamo, await sampleFleet(), {
        settings: { ...ON, 'circuit-breaker-threshold': '5' },
      });

      expect(result.status).toBe('SUCCEEDED');
      expect(result.account.changes).toEqual([]);
      const report = archivedReport(result.account);
      const remediations = report.findings.flatMap((f) => f.remediations);
      expect(remediations.length).toBeGreaterThan(0);
      for (const r of remediations) {
        // Fixes that could never run keep their own reason; every other one is held by the breaker.
        if (r.status === 'skipped' && r.reason !== 'circuit-breaker')
          expect(['opted-out', 'would-not-help', 'not-enabled', 'imdsv1-in-use']).toContain(r.reason);
        else expect(r).toMatchObject({ status: 'skipped', reason: 'circuit-breaker' });
      }
      expect(report.errors).toContainEqual(
        expect.objectContaining({ code: 'CircuitBreakerOpen', parameter: 'circuit-breaker-threshold' }),
      );
      const email = result.account.published.at(-1)?.Message ?? '';
      expect(email).toContain('became unmanaged since the last run, more than circuit-breaker-threshold (5)');
    });
  });

  it('does not trip on the first run, nor at or under the threshold', async () => {
    await withTable(async (dynamo) => {
      const first = await run(dynamo, await sampleFleet(), {
        settings: { ...ON, 'circuit-breaker-threshold': '5' },
      });

      expect(first.status).toBe('SUCCEEDED');
      expect(first.account.changes.length).toBeGreaterThan(0);
      expect(archivedReport(first.account).errors.map((e) => e.code)).not.toContain('CircuitBreakerOpen');

      // The next run compares with it: no instance is newly unmanaged, so nothing trips.
      const second = await run(dynamo, await sampleFleet(), {
        account: first.account,
        settings: { ...ON, 'circuit-breaker-threshold': '5' },
      });
      expect(second.status).toBe('SUCCEEDED');
      expect(archivedReport(second.account).errors.map((e) => e.code)).not.toContain('CircuitBreakerOpen');
    });
  });
});
