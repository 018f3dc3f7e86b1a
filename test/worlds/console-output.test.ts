/**
 * Console output as evidence, end to end: read (one call per instance) only for the findings the
 * outside cannot explain, the latest output on Nitro types and the last boot's buffer on Xen
 * types (EC2 refuses `Latest` there), and what it shows added to the causes.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { readConsoleOutputs } from '../../lambdas/aws/instance.ts';
import { SimulatedAccount, type World } from '../../lambdas/sim/index.ts';
import { exampleWorld, findingOf, scanWorld } from './scan-world.ts';

async function withConsole(lines: Record<string, string>): Promise<World> {
  const world = await exampleWorld('sample-fleet.json');
  for (const [name, text] of Object.entries(lines)) {
    const id = world.ec2.Instances.find((i) =>
      i.Tags?.some((t) => t.Key === 'Name' && t.Value === name),
    )?.InstanceId;
    if (!id) throw new Error(`no ${name} in sample-fleet.json`);
    world.ec2.ConsoleOutput[id] = text;
  }
  return world;
}

describe('console output', () => {
  it('an impaired instance whose console shows a kernel panic has both causes, impaired first', async () => {
    const scanned = await scanWorld(
      await withConsole({ 'legacy-billing-1': 'Kernel panic - not syncing: VFS: Unable to mount root fs' }),
    );
    const finding = findingOf(scanned, 'legacy-billing-1');

    expect(finding.rootCause).toBe('INSTANCE_STATUS_IMPAIRED');
    expect(finding.causes).toEqual(['INSTANCE_STATUS_IMPAIRED', 'INSTANCE_BOOT_FAILED']);
  });

  it('an unexplained instance whose console shows a full disk gets DISK_FULL', async () => {
    const scanned = await scanWorld(
      await withConsole({ 'vendor-appliance-1': 'write /var/lib/amazon/ssm: No space left on device' }),
    );

    expect(findingOf(scanned, 'vendor-appliance-1').rootCause).toBe('DISK_FULL');
  });

  it('is not read for a finding the outside already explains', async () => {
    const scanned = await scanWorld(await withConsole({ 'web-3': 'Kernel panic - not syncing' }));

    expect(findingOf(scanned, 'web-3').causes).toEqual(['PUBLIC_IP_MISSING']);
  });

  it('asks for the latest output on Nitro types and falls back to the boot buffer on Xen types', async () => {
    const world = await exampleWorld('sample-fleet.json');
    const [nitro, xen] = world.ec2.Instances;
    if (!nitro || !xen) throw new Error('sample-fleet.json has fewer than two instances');
    nitro.InstanceType = 'm7g.large';
    xen.InstanceType = 't2.micro';
    const account = new SimulatedAccount(world);
    const { ec2 } = createClients({ region: world.region, simulated: account });
    const types = new Map([
      [nitro.InstanceId, nitro.InstanceType],
      [xen.InstanceId, xen.InstanceType],
    ]);

    const reads = await readConsoleOutputs(ec2, [nitro.InstanceId, xen.InstanceId], (id) => types.get(id));

    expect(reads.get(nitro.InstanceId)?.latest).toBe(true);
    expect(reads.get(xen.InstanceId)?.latest).toBe(false);
    expect(account.callCounts()['ec2:GetConsoleOutput']).toBe(2);
  });

  it('falls back when EC2 refuses Latest for a type it does not know as Xen', async () => {
    const world = await exampleWorld('sample-fleet.json');
    const [instance] = world.ec2.Instances;
    if (!instance) throw new Error('sample-fleet.json has no instance');
    instance.InstanceType = 'm4.large';
    const account = new SimulatedAccount(world);
    const { ec2 } = createClients({ region: world.region, simulated: account });

    // The adapter is told the wrong type, so it asks for Latest, is refused, and asks again.
    const reads = await readConsoleOutputs(ec2, [instance.InstanceId], () => 'm7i.large');

    expect(reads.get(instance.InstanceId)).toMatchObject({ latest: false, text: { ok: true } });
    expect(account.callCounts()['ec2:GetConsoleOutput']).toBe(2);
  });
});
