/** Fleet-wide lookups that planning needs but that are not facts about one candidate. */
import type { Instance } from '@aws-sdk/client-ec2';

/** Running instances per instance profile ARN: who else a change to a shared role reaches. */
export function instancesByProfile(instances: readonly Instance[]): Map<string, string[]> {
  const users = new Map<string, string[]>();
  for (const instance of instances) {
    const arn = instance.IamInstanceProfile?.Arn;
    if (!arn || !instance.InstanceId) continue;
    const ids = users.get(arn);
    if (ids) ids.push(instance.InstanceId);
    else users.set(arn, [instance.InstanceId]);
  }
  for (const ids of users.values()) ids.sort();
  return users;
}
