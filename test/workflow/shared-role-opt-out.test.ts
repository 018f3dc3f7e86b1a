/**
 * A role change reaches every instance whose profile holds the role. The run keeps only the first
 * users of each profile for the email, but an opted-out user anywhere in that list must still
 * hold the change back, as it does in the CLI's scan.
 */
import { describe, expect, it } from 'vitest';
import { planOn, settingsFor, simulate } from '../remediation/harness.ts';
import { buildWorld } from '../remediation/worlds.ts';
import { archivedReport, run, withTable } from './harness.ts';

const ids = Array.from({ length: 60 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
const first = ids[0] as string;
const OPTED_OUT = ids[55] as string;

const world = () =>
  buildWorld({
    instances: ids.map((id) => ({
      id,
      profile: 'shared',
      ...(id === OPTED_OUT ? { tags: { 'ssm-doctor:remediate': 'false' } } : {}),
    })),
    profiles: { shared: 'shared-role' },
  });

describe('a shared role used by more instances than the run keeps', () => {
  it('is not changed when any of its users opted out, in the workflow as in the CLI', async () => {
    const cli = await planOn(simulate(world()), settingsFor({ remediationMode: 'dry-run' }));
    expect(cli.findings.find((f) => f.instanceId === first)?.remediations).toMatchObject([
      { id: 'attach-core-policy', status: 'skipped', reason: 'shared-with-opted-out' },
    ]);
    expect(cli.findings.find((f) => f.instanceId === OPTED_OUT)?.remediations).toMatchObject([
      { id: 'attach-core-policy', status: 'skipped', reason: 'opted-out' },
    ]);

    await withTable(async (dynamo) => {
      const result = await run(dynamo, world());

      expect(result.status).toBe('SUCCEEDED');
      const item = { finding: archivedReport(result.account).findings.find((f) => f.instanceId === first) };
      expect(item.finding?.remediations).toMatchObject([
        { id: 'attach-core-policy', status: 'skipped', reason: 'shared-with-opted-out' },
      ]);
      expect(item.finding?.remediations[0]?.detail).toContain(OPTED_OUT);
      expect(item.finding?.remediations[0]?.alsoAffectsCount).toBe(59);
    });
  });
});
