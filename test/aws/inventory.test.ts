/**
 * Discovery's inventories on the simulated account: a small fleet lists its registrations in one
 * chain; a large one stops the listing once the instances show its size and reads the rest by
 * id-filtered chunks, with the same registrations for every running instance, unregistered ids
 * (SSM's InvalidInstanceId for the whole request) left out by the ids the error names, or by
 * halving when it names none.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { readInventory, readOnline, readRegistrationsOf } from '../../lambdas/aws/inventory.ts';
import { parseWorld, SimulatedAccount } from '../../lambdas/sim/index.ts';

const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
const RUNNING = 320;
/** Every tenth running instance is not registered; a stopped instance and a hybrid node are. */
const unregistered = (n: number) => n % 10 === 3;

function account(faults: unknown[] = [], latencyMs = 0) {
  const registered = Array.from({ length: RUNNING }, (_, n) => n).filter((n) => !unregistered(n));
  return new SimulatedAccount(
    parseWorld({
      format: 'ssm-doctor/world@1',
      accountId: '111122223333',
      region: 'eu-west-1',
      ec2: {
        Instances: [
          ...Array.from({ length: RUNNING }, (_, n) => ({
            InstanceId: id(n),
            State: { Name: 'running' },
            LaunchTime: '2026-11-01T00:00:00Z',
          })),
          { InstanceId: id(999), State: { Name: 'stopped' }, LaunchTime: '2026-11-01T00:00:00Z' },
        ],
      },
      ssm: {
        InstanceInformationList: [
          ...[...registered, 999].map((n) => ({
            InstanceId: id(n),
            PingStatus: n % 7 === 0 ? 'ConnectionLost' : 'Online',
            LastPingDateTime: '2026-11-26T05:00:00Z',
            AgentVersion: '3.3.0.0',
            PlatformType: 'Linux',
          })),
          { InstanceId: 'mi-0123456789abcdef0', PingStatus: 'Online', ResourceType: 'ManagedInstance' },
        ],
      },
      simulation: { faults },
    }),
    { latencyMs },
  );
}

const clientsOf = (sim: SimulatedAccount) => createClients({ region: 'eu-west-1', simulated: sim });
const runningIds = Array.from({ length: RUNNING }, (_, n) => id(n));
/** What discovery uses: the registration of each running instance. */
const ofRunning = (registrations: { InstanceId?: string; PingStatus?: string }[]) =>
  registrations
    .filter((r) => runningIds.includes(r.InstanceId ?? ''))
    .map((r) => `${r.InstanceId}:${r.PingStatus}`)
    .sort();

describe('readInventory', () => {
  it('lists the registrations of a small fleet in one chain', async () => {
    const sim = account();
    const inventory = await readInventory(clientsOf(sim));

    expect(inventory.instances).toHaveLength(RUNNING);
    expect(inventory.registrations).toHaveLength(RUNNING - 32 + 2);
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBe(Math.ceil((RUNNING - 32 + 2) / 50));
  });

  it('reads a large fleet by id once the instances show its size, with the same registrations', async () => {
    const listed = await readInventory(clientsOf(account()));
    // Latency makes the listing's chain of 6 pages outlast the one DescribeInstances page.
    const sim = account([], 20);
    const inventory = await readInventory(clientsOf(sim), undefined, { byIdAbove: 100 });

    expect(ofRunning(inventory.registrations)).toEqual(ofRunning(listed.registrations));
    // More calls than the listing's 6 pages alone: the by-id reads took over.
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBeGreaterThan(6);
    // No registration twice: what the listing showed is not asked for again.
    const ids = inventory.registrations.map((r) => r.InstanceId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('readRegistrationsOf', () => {
  it('leaves out the unregistered ids the InvalidInstanceId error names: ~3 calls per 100 ids', async () => {
    const sim = account();
    const registrations = await readRegistrationsOf(clientsOf(sim).ssm, runningIds);

    expect(ofRunning(registrations)).toEqual(
      ofRunning((await readInventory(clientsOf(account()))).registrations),
    );
    // 4 chunks (100, 100, 100, 20), each failing once, then 2 pages (1 for the last).
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBe(4 + 2 + 2 + 2 + 1);
  });

  it('halves the ids when the error names none of them', async () => {
    const sim = account([
      {
        operation: 'DescribeInstanceInformation',
        code: 'InvalidInstanceId',
        message: 'not in a valid state',
        times: 1,
      },
    ]);
    const registrations = await readRegistrationsOf(clientsOf(sim).ssm, runningIds.slice(0, 100));

    const expected = runningIds.slice(0, 100).filter((_, n) => !unregistered(n));
    expect(registrations.map((r) => r.InstanceId).sort()).toEqual(expected.sort());
  });

  it('keeps to its rate: calls are spaced by 1/perSecond', async () => {
    const sim = account();
    const started = Date.now();
    await readRegistrationsOf(clientsOf(sim).ssm, runningIds, { perSecond: 50, inFlight: 8 });
    // 11 calls (as above), started 20 ms apart: at least 200 ms, however many are in flight.
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBe(11);
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });
});

describe('readOnline', () => {
  it('leaves out the unregistered ids the error names: two calls for 50 ids, not a halving each', async () => {
    const sim = account();
    const ids = runningIds.slice(0, 50);
    const online = await readOnline(clientsOf(sim).ssm, ids);

    const expected = ids.filter((_, n) => !unregistered(n) && n % 7 !== 0);
    expect(online.ok && [...online.value].sort()).toEqual(expected.sort());
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBe(2);
  });
});
