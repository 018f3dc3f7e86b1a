/** A changed root cause is news: the email says from what to what, and an event says the same. */
import { describe, expect, it } from 'vitest';
import { renderRunEmail } from '../../lambdas/workflow/email.ts';
import { findingEvents } from '../../lambdas/workflow/finding-events.ts';
import { changesSince, type LedgerEntry } from '../../lambdas/workflow/ledger.ts';
import { exampleWorld, findingOf, scanWorld } from '../worlds/scan-world.ts';

describe('a root cause that changed since the last email', () => {
  it('is tagged with the old and new cause, counted, and sent as a Finding cause changed event', async () => {
    const scanned = await scanWorld(await exampleWorld('sample-fleet.json'));
    const { report } = scanned;
    const web3 = findingOf(scanned, 'web-3');
    const previous = new Map<string, LedgerEntry>(
      report.findings.map((f) => [
        f.instanceId,
        {
          instanceId: f.instanceId,
          name: f.name,
          firstSeen: '2026-11-20T08:00:00.000Z',
          lastSeen: '2026-11-26T05:00:00.000Z',
          rootCause: f.instanceId === web3.instanceId ? 'ROUTE_MISSING' : f.rootCause,
          fixes: [],
        },
      ]),
    );

    const changes = changesSince(previous, report.findings, report.errors);
    const email = renderRunEmail(report, changes, 'aws');
    const events = findingEvents(report, changes, {
      runId: 'r1',
      accountId: report.accountId,
      region: report.region,
      partition: 'aws',
      at: new Date(report.generatedAt),
    });

    expect(email.subject).toBe(
      'ssm-doctor: 21 unmanaged instances in 111122223333/eu-west-1 (1 cause changed)',
    );
    expect(email.body).toContain(
      `- 1 with a different root cause than in the last email: ${web3.instanceId} ROUTE_MISSING -> PUBLIC_IP_MISSING`,
    );
    expect(email.body).toMatch(
      new RegExp(
        `^\\[CAUSE CHANGED: ROUTE_MISSING -> PUBLIC_IP_MISSING\\] ${web3.instanceId} \\(web-3\\) — NotRegistered — PUBLIC_IP_MISSING — since 2026-11-20 08:00 UTC$`,
        'm',
      ),
    );
    // Changed first.
    expect(email.body.indexOf('[CAUSE CHANGED')).toBeLessThan(email.body.indexOf('(legacy-rhel-app)'));
    expect(events.map((e) => e.DetailType)).toEqual(['Finding cause changed']);
    expect(JSON.parse(events[0]?.Detail ?? '{}')).toMatchObject({
      instanceId: web3.instanceId,
      previousRootCause: 'ROUTE_MISSING',
      rootCause: 'PUBLIC_IP_MISSING',
    });
  });
});
