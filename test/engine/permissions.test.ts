import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { recordWorld } from '../../lambdas/aws/record.ts';
import type { PolicyDocument } from '../../lambdas/engine/facts.ts';
import { cliPolicy } from '../../lambdas/engine/permissions.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { scan } from '../../lambdas/pipeline/scan.ts';
import { loadWorld, SimulatedAccount } from '../../lambdas/sim/index.ts';

const statementsOf = (doc: PolicyDocument) =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
const actionsOf = (doc: PolicyDocument) => statementsOf(doc).flatMap((s) => [s.Action ?? []].flat());

/** Calls any caller may make without a policy granting them. */
const NEEDS_NO_PERMISSION = new Set(['sts:GetCallerIdentity']);

describe('generated permissions', () => {
  it('cover every AWS call a scan actually makes (code and policy cannot drift)', async () => {
    // Prepare: a scan that exercises every check, IMDSv1 usage included.
    const account = new SimulatedAccount(await loadWorld('examples/worlds/sample-fleet.json'));
    const clients = createClients({ region: account.region, simulated: account });
    const settings = { ...DEFAULT_SETTINGS, remediationMode: 'dry-run' as const, enforceImdsV2: true };

    // Act
    await scan(clients, {
      accountId: account.accountId,
      partition: 'aws',
      region: account.region,
      now: account.now(),
      settings,
    });

    // Assess
    const granted = new Set(actionsOf(cliPolicy({ fix: false })));
    const used = Object.keys(account.callCounts()).filter((action) => !NEEDS_NO_PERMISSION.has(action));
    expect(used.length).toBeGreaterThan(15);
    expect(used.filter((action) => !granted.has(action))).toEqual([]);
  });

  it('cover every AWS call `record` makes with --record', async () => {
    const account = new SimulatedAccount(await loadWorld('examples/worlds/sample-fleet.json'));
    const clients = createClients({ region: account.region, simulated: account });

    await recordWorld(clients, { accountId: account.accountId, partition: 'aws' }, account.now());

    const granted = new Set(actionsOf(cliPolicy({ fix: false, record: true })));
    const used = Object.keys(account.callCounts()).filter((action) => !NEEDS_NO_PERMISSION.has(action));
    expect(used).toContain('iam:GetRolePolicy');
    expect(used.filter((action) => !granted.has(action))).toEqual([]);
  });

  it('grant no write action for a scan', () => {
    const statements = statementsOf(cliPolicy({ fix: false }));
    const actions = actionsOf(cliPolicy({ fix: false }));
    expect(actions.filter((a) => !/^[a-z0-9]+:(Describe|Get|List|Simulate)/.test(a))).toEqual([]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });
});
