/** Commands that work when pasted, and no to-do for what a fix already did. */
import { describe, expect, it } from 'vitest';
import { stepsToDo } from '../../lambdas/engine/to-do.ts';
import { exampleWorld, findingOf, scanWorld } from '../worlds/scan-world.ts';

describe('next steps', () => {
  it('gives every new network ACL entry a rule number of its own, free in the ACL, in one command per ACL', async () => {
    const world = await exampleWorld('sample-fleet.json');
    const finding = findingOf(await scanWorld(world), 'win-reporting-1');
    const aclSteps = finding.nextSteps.filter((s) => s.includes('create-network-acl-entry'));

    expect(aclSteps).toHaveLength(1);
    const entries = [...(aclSteps[0] ?? '').matchAll(/--network-acl-id (\S+) --(\w+) --rule-number (\d+)/g)];
    expect(entries).toHaveLength(3);
    const acl = world.ec2.NetworkAcls?.find((a) => a.NetworkAclId === entries[0]?.[1]);
    const taken = new Set((acl?.Entries ?? []).filter((e) => !e.Egress).map((e) => e.RuleNumber));
    const numbers = entries.map((m) => Number(m[3]));
    expect(new Set(numbers).size).toBe(3);
    for (const n of numbers) expect(taken.has(n)).toBe(false);
    expect(Math.max(...numbers)).toBeLessThan(32767);
  });

  it('leaves out the attach-role-policy command once attach-core-policy was applied', async () => {
    const finding = findingOf(await scanWorld(await exampleWorld('sample-fleet.json')), 'legacy-app-1');
    const command = /aws iam attach-role-policy --role-name legacy-app-role/;
    expect(stepsToDo(finding).specific.some((s) => command.test(s))).toBe(true);

    const applied = {
      ...finding,
      remediations: finding.remediations.map((r) => ({ ...r, status: 'applied' as const })),
    };

    expect([...stepsToDo(applied).specific, ...stepsToDo(applied).common].some((s) => command.test(s))).toBe(
      false,
    );
  });

  it('puts the root cause check first: an IAM root cause does not start with DNS advice', async () => {
    const finding = findingOf(await scanWorld(await exampleWorld('sample-fleet.json')), 'jenkins-agent-1');
    expect(finding.rootCause).toBe('INSTANCE_PROFILE_NO_ROLE');
    expect(stepsToDo(finding).specific[0]).toMatch(/^aws iam add-role-to-instance-profile/);
  });
});
