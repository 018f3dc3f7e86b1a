import { describe, expect, it } from 'vitest';
import { resolveCredentials } from '../../../lambdas/engine/checks/credentials/index.ts';
import {
  buildFacts,
  DHMC_ROLE,
  decisions,
  denied,
  dhmcOff,
  dhmcOn,
  dhmcRole,
  profile,
  role,
  trustPolicy,
} from '../instance/facts-builder.ts';
import { runCredentialChecks } from './run-checks.ts';

const connectionLost = (AgentVersion: string) => ({
  information: { InstanceId: 'i-0123456789abcdef0', PingStatus: 'ConnectionLost' as const, AgentVersion },
});

describe('Default Host Management Configuration fallback', () => {
  it('fails NO_INSTANCE_PROFILE without a profile when DHMC is off, offering both ways out', () => {
    const { byId, causes, statuses } = runCredentialChecks(buildFacts({ profile: null, dhmc: dhmcOff }));

    expect(causes).toEqual(['NO_INSTANCE_PROFILE']);
    expect(statuses).toMatchObject({
      'iam.role-trust': 'skip',
      'iam.role-permissions': 'skip',
      'dhmc.role': 'skip',
    });
    expect(byId['iam.instance-profile']?.nextSteps).toEqual([
      'aws ec2 associate-iam-instance-profile --region eu-west-1 --instance-id i-0123456789abcdef0 --iam-instance-profile Name=<profile-whose-role-has-AmazonSSMManagedInstanceCore>',
      'Or turn on DHMC for the account and region: aws ssm update-service-setting --region eu-west-1 --setting-id arn:aws:ssm:eu-west-1:111122223333:servicesetting/ssm/managed-instance/default-ec2-instance-management-role --setting-value AWSSystemsManagerDefaultEC2InstanceManagementRole',
    ]);
  });

  it('finds nothing wrong without a profile when DHMC is valid', () => {
    const { statuses, causes } = runCredentialChecks(buildFacts({ profile: null, dhmc: dhmcOn() }));

    expect(statuses).toMatchObject({
      'iam.instance-profile': 'pass',
      'dhmc.role': 'pass',
      'dhmc.agent-version': 'skip',
    });
    expect(causes).toEqual([]);
  });

  it.each([
    ['missing', dhmcOn(null), 'does not exist'],
    [
      'untrusted',
      dhmcOn(dhmcRole({ trust: trustPolicy('ec2.amazonaws.com') })),
      'does not trust ssm.amazonaws.com',
    ],
    [
      'lacking the policy',
      dhmcOn(
        dhmcRole({ attached: [], simulated: decisions({ 'ssm:UpdateInstanceInformation': 'implicitDeny' }) }),
      ),
      'lacks AmazonSSMManagedEC2InstanceDefaultPolicy',
    ],
  ] as const)('fails DHMC_ROLE_INVALID (not NO_INSTANCE_PROFILE) for a DHMC role %s', (_, dhmc, words) => {
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: null, dhmc }));

    expect(causes).toEqual(['DHMC_ROLE_INVALID']);
    expect(byId['dhmc.role']?.summary).toContain(words);
    expect(byId['iam.instance-profile']?.status).toBe('warn');
  });

  it('gives the fix for each DHMC role problem', () => {
    const lacking = dhmcOn(
      dhmcRole({
        trust: trustPolicy('ec2.amazonaws.com'),
        attached: [],
        simulated: decisions({ 'ec2messages:GetMessages': 'implicitDeny' }),
      }),
    );
    const { byId } = runCredentialChecks(buildFacts({ profile: null, dhmc: lacking }));

    expect(byId['dhmc.role']?.nextSteps).toEqual(
      expect.arrayContaining([
        `aws iam update-assume-role-policy --role-name ${DHMC_ROLE} --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ssm.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
        `aws iam attach-role-policy --role-name ${DHMC_ROLE} --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedEC2InstanceDefaultPolicy`,
      ]),
    );
  });

  it('creates a missing DHMC role under the path the setting names', () => {
    const { byId } = runCredentialChecks(
      buildFacts({
        profile: null,
        dhmc: dhmcOn(null, 'service-role/AWSSystemsManagerDefaultEC2InstanceManagementRoleCustom'),
      }),
    );

    expect(byId['dhmc.role']?.nextSteps?.[0]).toMatch(
      /^aws iam create-role --path \/service-role\/ --role-name AWSSystemsManagerDefaultEC2InstanceManagementRoleCustom /,
    );
  });

  it('accepts a DHMC role whose inline policies grant the agent actions (simulated)', () => {
    const equivalent = dhmcOn(dhmcRole({ attached: [], simulated: decisions() }));
    const { causes, statuses } = runCredentialChecks(buildFacts({ profile: null, dhmc: equivalent }));

    expect(statuses['dhmc.role']).toBe('pass');
    expect(causes).toEqual([]);
  });

  it('fails DHMC_AGENT_TOO_OLD for a 3.1 agent relying on a valid DHMC', () => {
    const { byId, causes } = runCredentialChecks(
      buildFacts({ profile: null, dhmc: dhmcOn(), ...connectionLost('3.1.1188.0') }),
    );

    expect(causes).toEqual(['DHMC_AGENT_TOO_OLD']);
    expect(byId['dhmc.role']?.status).toBe('pass');
    expect(byId['iam.instance-profile']?.status).toBe('warn');
    expect(byId['dhmc.agent-version']?.nextSteps?.[0]).toContain(
      'https://s3.eu-west-1.amazonaws.com/amazon-ssm-eu-west-1/latest/linux_amd64/amazon-ssm-agent.rpm',
    );
  });

  it.each(['3.2.582.0', '3.2.1000.0', '3.10.0.0'])(
    'accepts agent %s for DHMC (numeric comparison)',
    (version) => {
      const { statuses, causes } = runCredentialChecks(
        buildFacts({ profile: null, dhmc: dhmcOn(), ...connectionLost(version) }),
      );

      expect(statuses['dhmc.agent-version']).toBe('pass');
      expect(causes).toEqual([]);
    },
  );

  it('skips the agent version check, saying so, when the version is unknown', () => {
    const { byId } = runCredentialChecks(buildFacts({ profile: null, dhmc: dhmcOn() }));

    expect(byId['dhmc.agent-version']?.status).toBe('skip');
    expect(byId['dhmc.agent-version']?.summary).toContain('unknown');
  });

  it('reports both causes when the profile cannot register and DHMC is invalid', () => {
    const lacking = role({
      attached: [],
      simulated: decisions({ 'ssm:UpdateInstanceInformation': 'implicitDeny' }),
    });
    const { causes } = runCredentialChecks(buildFacts({ profile: profile(lacking), dhmc: dhmcOn(null) }));

    expect(causes).toEqual(['ROLE_MISSING_SSM_PERMISSIONS', 'DHMC_ROLE_INVALID']);
  });

  it('leaves IMDS to instance.metadata: no credential cause, DHMC evidence mentions it', () => {
    const facts = buildFacts({
      profile: null,
      dhmc: dhmcOn(),
      instance: { MetadataOptions: { HttpEndpoint: 'disabled' } },
    });
    const { byId, causes } = runCredentialChecks(facts);

    expect(causes).toEqual([]);
    expect(byId['dhmc.role']?.evidence.imds).toMatch(/disabled/);
  });

  it('skips the DHMC checks when the profile serves the agent, even if DHMC is broken', () => {
    const { statuses, causes } = runCredentialChecks(
      buildFacts({ dhmc: dhmcOn(null), ...connectionLost('3.0.0.0') }),
    );

    expect(statuses).toMatchObject({ 'dhmc.role': 'skip', 'dhmc.agent-version': 'skip' });
    expect(causes).toEqual([]);
  });

  it('resolves credentials once per facts object', () => {
    const facts = buildFacts({ profile: null, dhmc: dhmcOn() });

    expect(resolveCredentials(facts)).toBe(resolveCredentials(facts));
    expect(resolveCredentials(facts)).toMatchObject({
      reliesOnDhmc: 'yes',
      dhmcCovers: 'yes',
      profile: { state: 'none' },
    });
  });

  it('tells which profile state it resolved', () => {
    const lacking = role({
      attached: [],
      simulated: decisions({ 'ssmmessages:CreateDataChannel': 'implicitDeny' }),
    });
    const picture = resolveCredentials(
      buildFacts({ profile: profile(lacking), dhmc: denied('GetServiceSetting') }),
    );

    expect(picture.profile.state).toBe('missing-permissions');
    expect(picture.profile.permissions).toMatchObject({
      kind: 'missing',
      missing: ['ssmmessages:CreateDataChannel'],
    });
    expect(picture).toMatchObject({ reliesOnDhmc: 'no', dhmcCovers: 'unknown' });
  });
});
