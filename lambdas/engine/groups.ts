/**
 * Root-cause groups: findings whose root cause is the same blocking resource with the same fix (a
 * VPC without an endpoint, a route table, a security group, an ACL, a role, the account's DHMC
 * setting…) are one thing to do, however many instances it explains. People read these first.
 * Pure: derived from each finding's failing root-cause check (its evidence names the resource,
 * its first next step is the command) and the fix planned for it.
 */
import { CAUSE_SUMMARY, type CauseCode } from './causes.ts';
import type { CheckResult } from './check.ts';
import { FIXES } from './remediation/fixes.ts';
import type { Finding, FixId, RootCauseGroup } from './report-model.ts';
import { splitCommand } from './text.ts';

/** The service setting DHMC is configured with (one per account and region). */
const DHMC_SETTING = '/ssm/managed-instance/default-ec2-instance-management-role';

const str = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);
const roleName = (arn: unknown) => str(arn)?.split('/').pop();
/** The `ssm` service's part of a per-service network check (the one that blocks registration). */
const ssmPart = (evidence: Record<string, unknown>) =>
  ((evidence.services as Record<string, Record<string, unknown>> | undefined)?.ssm ?? {}) as Record<
    string,
    unknown
  >;
const groupIds = (part: Record<string, unknown>) =>
  Array.isArray(part.groupIds) && part.groupIds.length ? part.groupIds.join(',') : undefined;
/** The ACL a command creates an entry in: the NACL evidence nests it per interface and crossing. */
const aclOf = (check: CheckResult) =>
  check.nextSteps?.map((step) => /--network-acl-id (acl-[0-9a-f]+)/.exec(step)?.[1]).find(Boolean);

/**
 * The shared resource each groupable cause blocks on. Causes that live on one instance (impaired,
 * no public IP, metadata off, old agent, console findings) have none: they are not grouped.
 */
const RESOURCE: Partial<Record<CauseCode, (check: CheckResult, finding: Finding) => string | undefined>> = {
  ROUTE_MISSING: (c) => str(c.evidence.routeTableId),
  ROUTE_BLACKHOLE: (c) => str(c.evidence.routeTableId),
  NAT_GATEWAY_UNAVAILABLE: (c) => str(c.evidence.natGatewayId) ?? str(c.evidence.routeTableId),
  VPC_ENDPOINT_MISSING: (_c, f) => f.instance.vpcId,
  VPC_DNS_DISABLED: (_c, f) => f.instance.vpcId,
  VPC_ENDPOINT_PRIVATE_DNS_DISABLED: (c) => str(c.evidence.endpointId),
  NACL_BLOCKED: aclOf,
  SECURITY_GROUP_EGRESS_BLOCKED: (c) => groupIds(ssmPart(c.evidence)),
  ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED: (c) => groupIds(ssmPart(c.evidence)),
  INSTANCE_PROFILE_NOT_FOUND: (c) => str(c.evidence.profileName),
  INSTANCE_PROFILE_NO_ROLE: (c) => str(c.evidence.profileName),
  ROLE_TRUST_POLICY_INVALID: (c) => roleName(c.evidence.roleArn),
  ROLE_MISSING_SSM_PERMISSIONS: (c) => roleName(c.evidence.roleArn),
  NO_INSTANCE_PROFILE: () => DHMC_SETTING,
  DHMC_ROLE_INVALID: (c) => roleName(c.evidence.roleArn) ?? DHMC_SETTING,
  AGENT_NOT_PREINSTALLED: (c) => str(c.evidence.imageId),
};

/** A fix that will run, ran or is waiting for the agent: the group's action is that fix. */
function activeFix(finding: Finding, cause: CauseCode): FixId | undefined {
  return finding.remediations.find((r) => r.status !== 'skipped' && FIXES[r.id].resolves.includes(cause))?.id;
}

/** The first command of the root-cause check (all of the ACL's commands, which go together). */
function commandOf(check: CheckResult): string | undefined {
  const commands = (check.nextSteps ?? []).flatMap((step) => {
    const { command } = splitCommand(step);
    return command ? [command] : [];
  });
  return commands[0];
}

interface Member {
  key: string;
  cause: CauseCode;
  resource: string;
  fix: string;
  instanceId: string;
}

function memberOf(finding: Finding): Member | undefined {
  if (finding.rootCause === 'UNKNOWN') return undefined;
  const cause = finding.rootCause;
  const check = finding.checks.find((c) => c.status === 'fail' && c.cause === cause);
  const resource = check && RESOURCE[cause]?.(check, finding);
  if (!check || !resource) return undefined;
  const fix = activeFix(finding, cause) ?? commandOf(check);
  if (!fix) return undefined;
  return {
    key: `${cause}\u0000${resource}\u0000${fix}`,
    cause,
    resource,
    fix,
    instanceId: finding.instanceId,
  };
}

/** Groups of two or more findings (one instance is an entry, not a group), largest first. */
export function groupFindings(findings: readonly Finding[]): RootCauseGroup[] {
  const byKey = new Map<string, { member: Member; instanceIds: string[] }>();
  for (const finding of findings) {
    // Fixed and back online: nothing left to do for it.
    if (finding.remediations.some((r) => r.status === 'verified')) continue;
    const member = memberOf(finding);
    if (!member) continue;
    const group = byKey.get(member.key) ?? { member, instanceIds: [] };
    group.instanceIds.push(member.instanceId);
    byKey.set(member.key, group);
  }
  return [...byKey.values()]
    .filter((g) => g.instanceIds.length > 1)
    .map(({ member, instanceIds }) => ({
      cause: member.cause,
      resource: member.resource,
      instanceIds: [...instanceIds].sort(),
      summary: `${CAUSE_SUMMARY[member.cause]} (${member.resource}).`,
      fix: member.fix,
    }))
    .sort(
      (a, b) =>
        b.instanceIds.length - a.instanceIds.length ||
        a.cause.localeCompare(b.cause) ||
        a.resource.localeCompare(b.resource),
    );
}

/** "3 root causes explain 950 of 1,000 unmanaged instances". */
export function groupsHeadline(groups: readonly RootCauseGroup[], unmanaged: number): string {
  const explained = groups.reduce((n, g) => n + g.instanceIds.length, 0);
  const causes = `${groups.length} root cause${groups.length === 1 ? '' : 's'}`;
  return `${causes} explain${groups.length === 1 ? 's' : ''} ${count(explained)} of ${count(unmanaged)} unmanaged instance${unmanaged === 1 ? '' : 's'}.`;
}

export const count = (n: number) => n.toLocaleString('en-US');
