/**
 * `examples/worlds/sample-fleet.json` (DHMC on, valid role): every instance's root cause as
 * examples/worlds/README.md documents it, the fleet summary, the remediations the sample was built
 * to show, and the network pitfalls that must not be blamed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CAUSE_CODES, type CauseCode, type RootCause } from '../../lambdas/engine/causes.ts';
import { exampleWorld, findingOf, type ScannedWorld, scanWorld } from './scan-world.ts';

/** The README table. */
const EXPECTED: Record<string, RootCause> = {
  'legacy-billing-1': 'INSTANCE_STATUS_IMPAIRED',
  'ops-tools-1': 'ROUTE_MISSING',
  'legacy-queue-1': 'ROUTE_BLACKHOLE',
  'web-3': 'PUBLIC_IP_MISSING',
  'app-worker-c1': 'NAT_GATEWAY_UNAVAILABLE',
  // Only ssmmessages lacks an endpoint: registration goes through ssm, so nothing blocks it from
  // outside; VPC_ENDPOINT_MISSING is a degradation (DEGRADED below).
  'pci-api-1': 'UNKNOWN',
  'ml-trainer-1': 'VPC_DNS_DISABLED',
  'ci-runner-1': 'VPC_ENDPOINT_PRIVATE_DNS_DISABLED',
  'win-reporting-1': 'NACL_BLOCKED',
  'reporting-db-proxy': 'SECURITY_GROUP_EGRESS_BLOCKED',
  'sandbox-notebook-1': 'ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED',
  'batch-worker-2': 'IMDS_DISABLED',
  'nightly-export-1': 'INSTANCE_PROFILE_NOT_FOUND',
  'jenkins-agent-1': 'INSTANCE_PROFILE_NO_ROLE',
  'etl-runner-1': 'ROLE_TRUST_POLICY_INVALID',
  // Their role may register but not open sessions: degraded, not blocked.
  'legacy-app-1': 'UNKNOWN',
  'legacy-app-2': 'UNKNOWN',
  'batch-legacy-1': 'DHMC_AGENT_TOO_OLD',
  'legacy-rhel-app': 'AGENT_NOT_PREINSTALLED',
  // Everything checks out from outside; its console shows the agent failing to start.
  'kafka-broker-2': 'AGENT_NOT_RUNNING',
  // Its AMI is no longer visible: nothing proves the agent is missing, so `agent.ami` is unknown
  // and no cause is blamed (the catalog's "or the AMI is not visible" is read as not a cause).
  'vendor-appliance-1': 'UNKNOWN',
};

/** What will still fail after registration (the README's "degradations" column). */
const DEGRADED: Record<string, CauseCode[]> = {
  'pci-api-1': ['VPC_ENDPOINT_MISSING'],
  'legacy-app-1': ['ROLE_MISSING_SSM_PERMISSIONS'],
  'legacy-app-2': ['ROLE_MISSING_SSM_PERMISSIONS'],
};

const NETWORK_CAUSES: readonly CauseCode[] = [
  'ROUTE_MISSING',
  'ROUTE_BLACKHOLE',
  'PUBLIC_IP_MISSING',
  'NAT_GATEWAY_UNAVAILABLE',
  'VPC_ENDPOINT_MISSING',
  'VPC_DNS_DISABLED',
  'VPC_ENDPOINT_PRIVATE_DNS_DISABLED',
  'NACL_BLOCKED',
  'SECURITY_GROUP_EGRESS_BLOCKED',
  'ENDPOINT_SECURITY_GROUP_INGRESS_BLOCKED',
];

describe('sample-fleet.json', () => {
  let scanned: ScannedWorld;
  beforeAll(async () => {
    scanned = await scanWorld(await exampleWorld('sample-fleet.json'));
  });

  it.each(Object.entries(EXPECTED))('%s: root cause %s', (name, rootCause) => {
    expect(findingOf(scanned, name).rootCause).toBe(rootCause);
  });

  it.each(Object.keys(EXPECTED))('%s: degradations as documented, none repeated among causes', (name) => {
    const finding = findingOf(scanned, name);
    expect(finding.degradations).toEqual(DEGRADED[name] ?? []);
    expect(finding.degradations?.filter((code) => finding.causes.includes(code))).toEqual([]);
  });

  it('vendor-appliance-1 (AMI no longer visible) says the agent is unknown rather than missing', () => {
    const ami = findingOf(scanned, 'vendor-appliance-1').checks.find((c) => c.id === 'agent.ami');
    expect(ami?.status).toBe('unknown');
  });

  it('finds exactly the documented candidates and counts the fleet', () => {
    const { report } = scanned;
    expect(report.findings.map((f) => f.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    expect(report.summary).toEqual({
      runningInstances: 35,
      online: 12,
      notRegistered: 11,
      connectionLost: 10,
      ignored: 1,
      inGracePeriod: 1,
      operatedByService: 0,
    });
    expect(report.errors).toEqual([]);
  });

  it('covers every cause code (as a cause or a degradation) and UNKNOWN', () => {
    const covered = new Set<RootCause>([...Object.values(EXPECTED), ...Object.values(DEGRADED).flat()]);
    // DHMC is one setting per account: these two live in dhmc-off.json and dhmc-invalid-role.json.
    // The console-only causes other than AGENT_NOT_RUNNING and endpoint policies are covered by
    // the generated worlds, test/worlds/console-output.test.ts and the engine tests.
    const elsewhere = [
      'INSTANCE_BOOT_FAILED',
      'VPC_ENDPOINT_POLICY_DENIES',
      'NO_INSTANCE_PROFILE',
      'DHMC_ROLE_INVALID',
      'DISK_FULL',
      'METADATA_UNREACHABLE_FROM_OS',
    ];
    expect([...CAUSE_CODES, 'UNKNOWN'].filter((code) => !covered.has(code as RootCause))).toEqual(elsewhere);
  });

  it('does not blame the network pitfalls: stale endpoints, group references, an endpoint in the own subnet', () => {
    for (const name of [
      'kafka-broker-2',
      'vendor-appliance-1',
      'batch-worker-2',
      'legacy-app-2',
      'etl-runner-1',
    ]) {
      const finding = findingOf(scanned, name);
      expect(
        finding.causes.filter((cause) => NETWORK_CAUSES.includes(cause)),
        name,
      ).toEqual([]);
      for (const check of finding.checks.filter((c) => c.id.startsWith('network.'))) {
        expect(['pass', 'skip', 'warn'], `${name} ${check.id}: ${check.summary}`).toContain(check.status);
      }
    }
    const nacl = findingOf(scanned, 'legacy-app-2').checks.find((c) => c.id === 'network.nacl');
    expect(nacl?.status).toBe('pass');
  });

  it('plans the safe fixes: IMDS, one policy for a shared role, none for an opted-out instance', () => {
    const remediations = (name: string) => findingOf(scanned, name).remediations;
    // enforce-imdsv2 is off by default: a disabled endpoint is listed and left alone.
    expect(remediations('batch-worker-2')).toMatchObject([
      { id: 'enforce-imdsv2', status: 'skipped', reason: 'not-enabled' },
    ]);
    const [first, second] = ['legacy-app-1', 'legacy-app-2'].map((n) => scanned.idOf(n)).sort();
    const shared = (id: string) =>
      scanned.report.findings
        .find((f) => f.instanceId === id)
        ?.remediations.find((r) => r.id === 'attach-core-policy');
    expect(shared(first as string)).toMatchObject({ status: 'planned', target: 'legacy-app-role' });
    expect(shared(first as string)?.alsoAffects).toEqual(
      [second, scanned.idOf('legacy-app-3')].sort() as string[],
    );
    expect(shared(second as string)).toMatchObject({ status: 'planned', coveredBy: first });
    expect(remediations('batch-legacy-1')).toMatchObject([
      { id: 'attach-instance-profile', status: 'skipped', reason: 'opted-out' },
    ]);
    // Hardening optional tokens is not even listed while the setting is off.
    expect(remediations('kafka-broker-2')).toEqual([]);
  });

  it('enforces IMDSv2 only where CloudWatch shows no IMDSv1 use', async () => {
    const strict = await scanWorld(await exampleWorld('sample-fleet.json'), { enforceImdsV2: true });
    expect(findingOf(strict, 'kafka-broker-2').remediations).toMatchObject([
      { id: 'enforce-imdsv2', status: 'planned' },
    ]);
    expect(findingOf(strict, 'legacy-billing-1').remediations).toMatchObject([
      { id: 'enforce-imdsv2', status: 'skipped', reason: 'imdsv1-in-use' },
    ]);
  });
});
