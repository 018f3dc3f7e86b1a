/**
 * Discovery's inventories on the simulated account: the registrations as the node list
 * (DescribeInstanceProperties), or where that is denied through DescribeInstanceInformation — the
 * listing, or for a large fleet id-filtered chunks, with the same registrations for every running
 * instance, unregistered ids
 * (SSM's InvalidInstanceId for the whole request) left out by the ids the error names, or by
 * halving when it names none.
 */

import type { InstanceInformation } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import {
  readInventory,
  readOnline,
  readRegistrations,
  readRegistrationsOf,
} from '../../lambdas/aws/inventory.ts';
import { parseWorld, SimulatedAccount } from '../../lambdas/sim/index.ts';

const id = (n: number) => `i-${n.toString(16).padStart(17, '0')}`;
const RUNNING = 320;
/** Every tenth running instance is not registered; a stopped instance and a hybrid node are. */
const unregistered = (n: number) => n % 10 === 3;

function account(faults: unknown[] = [], latencyMs = 0, extra: object[] = []) {
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
          ...extra,
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
  it('reads every registration as the node list, 1,000 a page: one call where the listing takes six', async () => {
    const sim = account();
    const inventory = await readInventory(clientsOf(sim));

    expect(inventory.instances).toHaveLength(RUNNING);
    expect(inventory.registrations).toHaveLength(RUNNING - 32 + 2);
    expect(sim.callCounts()['ssm:DescribeInstanceProperties']).toBe(1);
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBeUndefined();
    expect(inventory.errors).toEqual([]);
    // The same registrations, with what discovery and diagnosis read of them, as the listing gives.
    const listed = await readRegistrations(clientsOf(account()));
    const read = (r: InstanceInformation) => [
      r.InstanceId,
      r.PingStatus,
      r.LastPingDateTime?.toISOString(),
      r.AgentVersion,
      r.PlatformType,
      r.ResourceType,
    ];
    expect(inventory.registrations.map(read)).toEqual(listed.map(read));
  });

  it('lists through DescribeInstanceInformation where DescribeInstanceProperties is denied', async () => {
    const sim = account([{ operation: 'DescribeInstanceProperties', code: 'AccessDeniedException' }]);
    const inventory = await readInventory(clientsOf(sim));

    expect(ofRunning(inventory.registrations)).toEqual(
      ofRunning((await readInventory(clientsOf(account()))).registrations),
    );
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBe(Math.ceil((RUNNING - 32 + 2) / 50));
    // Said, not silent: a lost grant costs 20 times the calls.
    expect(inventory.errors).toEqual([
      expect.objectContaining({ code: 'AccessDeniedException', api: 'ssm:DescribeInstanceProperties' }),
    ]);
  });

  it('takes a listed node without an agent ping status for no registration', async () => {
    const sim = account([], 0, [{ InstanceId: id(3) }]);
    const inventory = await readInventory(clientsOf(sim));
    expect(inventory.registrations.map((r) => r.InstanceId)).not.toContain(id(3));
  });

  it('falls back by id for a large fleet, with the same registrations', async () => {
    const sim = account([{ operation: 'DescribeInstanceProperties', code: 'AccessDeniedException' }]);
    const inventory = await readInventory(clientsOf(sim), undefined, { byIdAbove: 100 });

    expect(ofRunning(inventory.registrations)).toEqual(
      ofRunning((await readInventory(clientsOf(account()))).registrations),
    );
    // By id: 4 chunks (100, 100, 100, 20), each failing once for its unregistered ids, then 2 pages (1 for the last).
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBe(4 + 2 + 2 + 2 + 1);
    const ids = inventory.registrations.map((r) => r.InstanceId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('fails discovery when the node list fails otherwise: an outage is not "nothing registered"', async () => {
    const sim = account([{ operation: 'DescribeInstanceProperties', code: 'InternalServerError' }]);
    await expect(readInventory(clientsOf(sim))).rejects.toMatchObject({ name: 'InternalServerError' });
    expect(sim.callCounts()['ssm:DescribeInstanceInformation']).toBeUndefined();
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
