import type { Instance } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { batchesOf, discover } from '../../lambdas/engine/discovery.ts';

const NOW = new Date('2026-11-26T06:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

function instance(id: string, overrides: Partial<Instance> = {}): Instance {
  return { InstanceId: id, State: { Name: 'running' }, LaunchTime: minutesAgo(600), ...overrides };
}
const registration = (id: string, PingStatus: InstanceInformation['PingStatus']): InstanceInformation => ({
  InstanceId: id,
  PingStatus,
});

describe('discover', () => {
  it('classifies every running instance exactly once', () => {
    // Prepare
    const instances = [
      instance('i-00000000000000001'),
      instance('i-00000000000000002'),
      instance('i-00000000000000003'),
      instance('i-00000000000000004', { Tags: [{ Key: 'ssm-doctor:ignore', Value: 'TRUE' }] }),
      instance('i-00000000000000005', { LaunchTime: minutesAgo(5) }),
      instance('i-00000000000000006', { State: { Name: 'stopped' } }),
      instance('i-00000000000000007', { State: { Name: 'pending' } }),
      // EKS Auto Mode node: operated by EKS, registered or not (here ConnectionLost) never judged.
      instance('i-00000000000000008', { Operator: { Managed: true, Principal: 'eks.amazonaws.com' } }),
      instance('i-00000000000000009', { Operator: { Managed: false } }),
    ];
    const registrations = [
      registration('i-00000000000000001', 'Online'),
      registration('i-00000000000000002', 'ConnectionLost'),
      registration('i-00000000000000008', 'ConnectionLost'),
    ];

    // Act
    const { candidates, summary } = discover(instances, registrations, { gracePeriodMinutes: 15 }, NOW);

    // Assess
    expect(summary).toEqual({
      runningInstances: 7,
      online: 1,
      notRegistered: 2,
      connectionLost: 1,
      ignored: 1,
      inGracePeriod: 1,
      operatedByService: 1,
    });
    expect(candidates.map((c) => [c.instance.InstanceId, c.ssmStatus])).toEqual([
      ['i-00000000000000002', 'ConnectionLost'],
      ['i-00000000000000003', 'NotRegistered'],
      ['i-00000000000000009', 'NotRegistered'],
    ]);
    expect(candidates[0]?.information?.PingStatus).toBe('ConnectionLost');
  });

  it('never excuses an Online instance and counts it online even when tagged ignore', () => {
    const tagged = instance('i-00000000000000001', { Tags: [{ Key: 'ssm-doctor:ignore', Value: 'true' }] });
    const { summary } = discover(
      [tagged],
      [registration('i-00000000000000001', 'Online')],
      { gracePeriodMinutes: 15 },
      NOW,
    );
    expect(summary.online).toBe(1);
    expect(summary.ignored).toBe(0);
  });

  it('judges an instance exactly at the end of its grace period, and one without a launch time', () => {
    const atBoundary = instance('i-00000000000000001', { LaunchTime: minutesAgo(15) });
    const noLaunchTime = instance('i-00000000000000002', { LaunchTime: undefined });
    const { candidates, summary } = discover([atBoundary, noLaunchTime], [], { gracePeriodMinutes: 15 }, NOW);
    expect(summary.inGracePeriod).toBe(0);
    expect(candidates).toHaveLength(2);
  });

  it('treats an Inactive registration as a lost connection, not a new instance', () => {
    const { candidates } = discover(
      [instance('i-00000000000000001')],
      [registration('i-00000000000000001', 'Inactive')],
      { gracePeriodMinutes: 0 },
      NOW,
    );
    expect(candidates[0]?.ssmStatus).toBe('ConnectionLost');
  });

  it('sorts candidates by instance id whatever order EC2 returned them in', () => {
    const ids = ['i-0c', 'i-0a', 'i-0b'];
    const { candidates } = discover(
      ids.map((id) => instance(id)),
      [],
      { gracePeriodMinutes: 0 },
      NOW,
    );
    expect(candidates.map((c) => c.instance.InstanceId)).toEqual(['i-0a', 'i-0b', 'i-0c']);
  });
});

describe('batchesOf', () => {
  it('splits into batches of the given size with the remainder last', () => {
    expect(batchesOf([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batchesOf([], 2)).toEqual([]);
  });
});
