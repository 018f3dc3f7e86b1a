/** Local settings from the world are the settings: one entry per name, the world's value first. */
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { parseWorld, WorldError } from '../../lambdas/sim/world.ts';
import { seededParameters } from '../support/local/run-locally.ts';
import { run, sampleFleet, withTable } from './harness.ts';

const header = { format: 'ssm-doctor/world@1', accountId: '111122223333', region: 'eu-west-1' };
const param = (name: string, Value: string) => ({
  Name: `/ssm-doctor/${name}`,
  Value,
  Type: 'String' as const,
});

describe('settings in a world', () => {
  it('a duplicate parameter name is a world error naming where and what is expected', () => {
    const world = {
      ...header,
      ssm: { Parameters: [param('notify-on', 'changes'), param('notify-on', 'every-run')] },
    };
    expect(() => parseWorld(world, 'world.json')).toThrow(WorldError);
    expect(() => parseWorld(world, 'world.json')).toThrow(
      /ssm\.Parameters\[1\]\.Name.*expected each parameter name once; ssm\.Parameters\[0\] already has this name/,
    );
  });

  it('the world value wins over the stack default, overrides win over both, one entry per name', async () => {
    const world = parseWorld({
      ...header,
      ssm: { Parameters: [param('remediation-mode', 'on'), param('notify-on', 'every-run')] },
    });

    const seeded = seededParameters(world, { 'notify-on': 'changes' });

    const names = seeded.ssm.Parameters.map((p) => p.Name);
    expect(new Set(names).size).toBe(names.length);
    const value = (name: string) =>
      seeded.ssm.Parameters.find((p) => p.Name === `/ssm-doctor/${name}`)?.Value;
    expect(value('remediation-mode')).toBe('on');
    expect(value('notify-on')).toBe('changes');
    expect(value('grace-period-minutes')).toBe('15');

    const account = new SimulatedAccount(seeded);
    const { ssm } = createClients({ region: account.region, simulated: account });
    await ssm.send(
      new PutParameterCommand({ Name: '/ssm-doctor/remediation-mode', Value: 'off', Overwrite: true }),
    );
    const read = await ssm.send(new GetParameterCommand({ Name: '/ssm-doctor/remediation-mode' }));
    expect(read.Parameter?.Value).toBe('off');
    expect(
      account.snapshot().ssm.Parameters.filter((p) => p.Name === '/ssm-doctor/remediation-mode'),
    ).toHaveLength(1);
  });

  it('a local run follows remediation-mode=on from the world', async () => {
    const fleet = await sampleFleet();
    const world = {
      ...fleet,
      ssm: { ...fleet.ssm, Parameters: [...fleet.ssm.Parameters, param('remediation-mode', 'on')] },
    };
    await withTable(async (dynamo) => {
      const result = await run(dynamo, world);
      expect((result.output as { remediation: { applied: number } }).remediation.applied).toBeGreaterThan(0);
    });
  });
});
