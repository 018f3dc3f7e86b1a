/**
 * The policy `ssm-doctor permissions` prints, given to the caller of the simulated account
 * (`simulation.callerPolicy`): a scan (and `record --record`) under it is never denied. The account
 * evaluates the printed statements, so a missing action fails here whatever generated it.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { recordWorld } from '../../lambdas/aws/record.ts';
import type { PolicyDocument } from '../../lambdas/engine/facts.ts';
import { cliPolicy } from '../../lambdas/engine/permissions.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { scan } from '../../lambdas/pipeline/scan.ts';
import { loadWorld, SimulatedAccount, type TraceEntry } from '../../lambdas/sim/index.ts';

const statementsOf = (doc: PolicyDocument) =>
  Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
const actionsOf = (doc: PolicyDocument) => statementsOf(doc).flatMap((s) => [s.Action ?? []].flat());

async function underPolicy(policy: PolicyDocument) {
  const world = await loadWorld('examples/worlds/sample-fleet.json');
  const traced: TraceEntry[] = [];
  const account = new SimulatedAccount(
    { ...world, simulation: { ...world.simulation, callerPolicy: policy as never } },
    { trace: (entry) => traced.push(entry) },
  );
  const caller = account.cliCaller();
  const clients = createClients({
    region: account.region,
    simulated: account,
    retry: 'immediate',
    ...(caller ? { caller } : {}),
  });
  const denied = () => traced.filter((e) => !e.allowed).map((e) => `${e.action} on ${e.resource}`);
  return { account, clients, traced, denied };
}

describe('generated permissions', () => {
  it('allow every AWS call a scan makes (IMDSv1 usage included)', async () => {
    const { account, clients, traced, denied } = await underPolicy(cliPolicy({ fix: false }));
    await scan(clients, {
      accountId: account.accountId,
      partition: 'aws',
      region: account.region,
      now: account.now(),
      settings: { ...DEFAULT_SETTINGS, remediationMode: 'dry-run', enforceImdsV2: true },
    });
    expect(new Set(traced.map((e) => e.action)).size).toBeGreaterThan(15);
    expect(denied()).toEqual([]);
  });

  it('allow every AWS call `record` makes with --record, and deny them without it', async () => {
    const recording = await underPolicy(cliPolicy({ fix: false, record: true }));
    await recordWorld(
      recording.clients,
      { accountId: recording.account.accountId, partition: 'aws' },
      recording.account.now(),
    );
    expect(recording.traced.map((e) => e.action)).toContain('iam:GetRolePolicy');
    expect(recording.denied()).toEqual([]);

    const scanOnly = await underPolicy(cliPolicy({ fix: false }));
    await expect(
      recordWorld(
        scanOnly.clients,
        { accountId: scanOnly.account.accountId, partition: 'aws' },
        scanOnly.account.now(),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('grant no write action for a scan', () => {
    const statements = statementsOf(cliPolicy({ fix: false }));
    const actions = actionsOf(cliPolicy({ fix: false }));
    expect(actions.filter((a) => !/^[a-z0-9]+:(Describe|Get|List|Simulate)/.test(a))).toEqual([]);
    expect(statements.every((s) => s.Effect === 'Allow')).toBe(true);
  });
});
