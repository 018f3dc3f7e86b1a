/**
 * `simulation.onlineAfterFix`: the scripted recovery. When a write touches a listed instance
 * (profile associated, metadata options changed, an agent-enabling policy attached to the role of
 * its profile), SSM reports it Online from then on, as the agent would after its next retry.
 */
import type { World } from './world-schema.ts';

/** A current agent version, for instances that were never registered. */
const AGENT_VERSION = '3.3.1142.0';

export function bringOnline(world: World, instanceIds: readonly string[], now: Date): string[] {
  const listed = new Set(world.simulation.onlineAfterFix);
  const changed: string[] = [];
  for (const id of new Set(instanceIds)) {
    if (!listed.has(id)) continue;
    const instance = world.ec2.Instances.find((i) => i.InstanceId === id);
    if (!instance) continue;
    const online = {
      PingStatus: 'Online' as const,
      LastPingDateTime: now.toISOString(),
      IsLatestVersion: true,
    };
    const entry = world.ssm.InstanceInformationList.find((i) => i.InstanceId === id);
    if (entry) {
      Object.assign(entry, online, { AgentVersion: entry.AgentVersion ?? AGENT_VERSION });
    } else {
      world.ssm.InstanceInformationList.push({
        InstanceId: id,
        ...online,
        AgentVersion: AGENT_VERSION,
        // The API spells it `windows`; the SDK's enum `Windows`.
        PlatformType: String(instance.Platform ?? '').toLowerCase() === 'windows' ? 'Windows' : 'Linux',
        ResourceType: 'EC2Instance',
        IPAddress: instance.PrivateIpAddress,
        ComputerName: instance.PrivateDnsName,
        RegistrationDate: now.toISOString(),
      });
    }
    changed.push(id);
  }
  return changed;
}
