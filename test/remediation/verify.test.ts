import { DescribeInstanceInformationCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../lambdas/engine/report-model.ts';
import { verifyFixes } from '../../lambdas/pipeline/verify.ts';
import { applyOn, findingOf, planOn, settingsFor, simulate } from './harness.ts';
import { buildWorld } from './worlds.ts';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';

function fixedFinding(instanceId: string): Finding {
  return {
    instanceId,
    name: null,
    ssmStatus: 'NotRegistered',
    rootCause: 'NO_INSTANCE_PROFILE',
    causes: ['NO_INSTANCE_PROFILE'],
    checks: [],
    remediations: [
      {
        id: 'attach-instance-profile',
        status: 'applied',
        target: instanceId,
        record: { at: '2026-11-26T06:00:00Z' },
      },
    ],
    nextSteps: ['existing step'],
    instance: { platform: 'windows' },
  };
}

/** A clock that only moves when the injected sleep is called. */
function fakeTime() {
  let now = Date.parse('2026-11-26T06:00:00Z');
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

const info = (InstanceId: string, PingStatus: 'Online' | 'ConnectionLost') => ({ InstanceId, PingStatus });

describe('verify on the simulated account', () => {
  it('marks instances verified when the agent comes back, and says how to hurry the others', async () => {
    const sim = simulate(buildWorld({ instances: [{ id: A }, { id: B }], onlineAfterFix: [A] }));
    const { findings } = await applyOn(sim, await planOn(sim, settingsFor()));

    const result = await verifyFixes(sim.clients.ssm, findings, {
      waitSeconds: 0,
      now: () => sim.account.now(),
    });

    expect(result.online).toEqual([A]);
    expect(result.waiting).toEqual([B]);
    expect(findingOf(result.findings, A).remediations[0]).toMatchObject({
      status: 'verified',
      record: { verifiedAt: '2026-11-26T06:00:00.000Z', requestId: expect.any(String) },
    });
    const waiting = findingOf(result.findings, B);
    expect(waiting.remediations[0]?.status).toBe('applied');
    expect(waiting.nextSteps[0]).toMatch(/up to an hour/);
    expect(waiting.nextSteps[0]).toMatch(/60 minutes/);
    expect(waiting.nextSteps[0]).toContain('sudo systemctl restart amazon-ssm-agent');
    expect(waiting.nextSteps[0]).toMatch(/reboot/);
    expect(sim.account.callCounts()['ssm:DescribeInstanceInformation']).toBeGreaterThan(0);
  });

  it('leaves findings without an applied fix alone and makes no call for them', async () => {
    const sim = simulate(buildWorld({ instances: [{ id: A }] }));
    const report = await planOn(sim, settingsFor({ remediationMode: 'dry-run' }));
    sim.account.resetCounts();

    const result = await verifyFixes(sim.clients.ssm, report.findings, { waitSeconds: 30 });

    expect(result.findings).toEqual(report.findings);
    expect(sim.account.callCounts()).toEqual({});
  });
});

describe('polling', () => {
  it('polls until the instance is Online, sleeping between reads', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    mockClient(ssm)
      .on(DescribeInstanceInformationCommand)
      .resolvesOnce({ InstanceInformationList: [] })
      .resolvesOnce({ InstanceInformationList: [info(A, 'ConnectionLost')] })
      .resolves({ InstanceInformationList: [info(A, 'Online')] });
    const time = fakeTime();

    const result = await verifyFixes(ssm, [fixedFinding(A)], { waitSeconds: 120, pollSeconds: 15, ...time });

    expect(result.online).toEqual([A]);
    expect(time.sleeps).toEqual([15_000, 15_000]);
    expect(result.findings[0]?.remediations[0]?.record?.verifiedAt).toBe('2026-11-26T06:00:30.000Z');
  });

  it('gives up at the deadline without sleeping past it, and adds the Windows restart step', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    const mock = mockClient(ssm);
    mock.on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const time = fakeTime();

    const result = await verifyFixes(ssm, [fixedFinding(A)], { waitSeconds: 40, pollSeconds: 15, ...time });

    expect(time.sleeps).toEqual([15_000, 15_000, 10_000]);
    expect(mock.commandCalls(DescribeInstanceInformationCommand)).toHaveLength(4);
    expect(result.waiting).toEqual([A]);
    expect(result.findings[0]?.nextSteps).toEqual([
      expect.stringContaining('Restart-Service AmazonSSMAgent'),
      'existing step',
    ]);
  });

  it('stops at the wait even when the clock does not move (a world file has a fixed now)', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    mockClient(ssm).on(DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [] });
    const sleeps: number[] = [];
    const frozen = () => new Date('2026-11-26T06:00:00Z');

    const result = await verifyFixes(ssm, [fixedFinding(A)], {
      waitSeconds: 30,
      pollSeconds: 20,
      now: frozen,
      sleep: async (ms) => void sleeps.push(ms),
    });

    expect(sleeps).toEqual([20_000, 10_000]);
    expect(result.waiting).toEqual([A]);
  });

  it('asks for at most 50 instances per call', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    const mock = mockClient(ssm);
    mock.on(DescribeInstanceInformationCommand).callsFake((input) => ({
      InstanceInformationList: input.Filters[0].Values.map((id: string) => info(id, 'Online')),
    }));
    const fleet = Array.from({ length: 120 }, (_, i) =>
      fixedFinding(`i-${i.toString(16).padStart(17, '0')}`),
    );

    const result = await verifyFixes(ssm, fleet, { waitSeconds: 0 });

    const calls = mock.commandCalls(DescribeInstanceInformationCommand);
    expect(calls.map((c) => c.args[0].input.Filters?.[0]?.Values?.length)).toEqual([50, 50, 20]);
    expect(calls.every((c) => (c.args[0].input.MaxResults ?? 0) <= 50)).toBe(true);
    expect(result.online).toHaveLength(120);
  });

  it('says the check could not be made when SSM cannot be read', async () => {
    const ssm = new SSMClient({ region: 'eu-west-1' });
    mockClient(ssm)
      .on(DescribeInstanceInformationCommand)
      .rejects(Object.assign(new Error('not allowed'), { name: 'AccessDeniedException', $metadata: {} }));

    const result = await verifyFixes(ssm, [fixedFinding(A)], { waitSeconds: 0 });

    expect(result.waiting).toEqual([A]);
    expect(result.findings[0]?.nextSteps[0]).toMatch(
      /could not be read \(DescribeInstanceInformation failed with AccessDeniedException/,
    );
  });
});
