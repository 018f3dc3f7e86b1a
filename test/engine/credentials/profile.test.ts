import { describe, expect, it } from 'vitest';
import {
  buildFacts,
  decisions,
  denied,
  dhmcOff,
  dhmcOn,
  policy,
  profile,
  role,
  trustPolicy,
} from '../instance/facts-builder.ts';
import { runCredentialChecks } from './run-checks.ts';

describe('instance profile, trust and permissions', () => {
  it('passes a profile whose role trusts EC2 and has AmazonSSMManagedInstanceCore, with DHMC off', () => {
    const { statuses, causes } = runCredentialChecks(buildFacts());

    expect(statuses).toEqual({
      'iam.instance-profile': 'pass',
      'iam.role-trust': 'pass',
      'iam.role-permissions': 'pass',
      'dhmc.role': 'skip',
      'dhmc.agent-version': 'skip',
    });
    expect(causes).toEqual([]);
  });

  it.each([
    ['DHMC off', dhmcOff, 'fail', ['INSTANCE_PROFILE_NOT_FOUND']],
    ['DHMC valid', dhmcOn(), 'warn', []],
    ['DHMC unreadable', denied('GetServiceSetting'), 'unknown', []],
  ] as const)('reports a deleted profile with %s', (_, dhmc, status, expected) => {
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(null, false), dhmc }));

    expect(byId['iam.instance-profile']?.status).toBe(status);
    expect(causes).toEqual(expected);
    expect(byId['iam.role-trust']?.status).toBe('skip');
    expect(byId['iam.instance-profile']?.nextSteps?.join('\n')).toContain(
      'replace-iam-instance-profile-association',
    );
  });

  it.each([
    ['DHMC off', dhmcOff, 'fail', ['INSTANCE_PROFILE_NO_ROLE']],
    ['DHMC valid', dhmcOn(), 'warn', []],
  ] as const)('reports a profile without a role with %s', (_, dhmc, status, expected) => {
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(null), dhmc }));

    expect(byId['iam.instance-profile']?.status).toBe(status);
    expect(causes).toEqual(expected);
    expect(byId['iam.instance-profile']?.nextSteps).toContain(
      'aws iam add-role-to-instance-profile --instance-profile-name app-profile --role-name <role-with-AmazonSSMManagedInstanceCore>',
    );
  });

  it.each([
    ['DHMC off', dhmcOff, 'fail', ['ROLE_TRUST_POLICY_INVALID'], 'skip'],
    ['DHMC valid', dhmcOn(), 'warn', [], 'pass'],
  ] as const)('reports a role that does not trust EC2 with %s', (_, dhmc, status, expected, dhmcStatus) => {
    const untrusted = role({ trust: trustPolicy('lambda.amazonaws.com') });
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(untrusted), dhmc }));

    expect(byId['iam.role-trust']?.status).toBe(status);
    expect(byId['iam.role-trust']?.evidence.trustedServices).toEqual(['lambda.amazonaws.com']);
    expect(byId['dhmc.role']?.status).toBe(dhmcStatus);
    expect(causes).toEqual(expected);
  });

  it('writes the trust-policy fix for the role', () => {
    const untrusted = role({ trust: trustPolicy('lambda.amazonaws.com') });
    const { byId } = runCredentialChecks(buildFacts({ profile: profile(untrusted) }));

    expect(byId['iam.role-trust']?.nextSteps?.[0]).toBe(
      `aws iam update-assume-role-policy --role-name app-role --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}'`,
    );
  });

  it('accepts a trust policy that lists several services and a wildcard action', () => {
    const trust = trustPolicy(['lambda.amazonaws.com', 'ec2.amazonaws.com'], ['sts:TagSession', 'sts:*']);
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(role({ trust })) }));

    expect(byId['iam.role-trust']?.status).toBe('pass');
    expect(causes).toEqual([]);
  });

  it('passes a conditional trust but shows the conditions', () => {
    const trust = trustPolicy('ec2.amazonaws.com');
    const statement = { ...(Array.isArray(trust.Statement) ? trust.Statement[0] : trust.Statement) };
    const conditional = {
      Statement: [{ ...statement, Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }],
    };
    const { byId } = runCredentialChecks(buildFacts({ profile: profile(role({ trust: conditional })) }));

    expect(byId['iam.role-trust']?.status).toBe('pass');
    expect(byId['iam.role-trust']?.evidence.conditions).toEqual({
      'Statement[0]': { StringEquals: { 'aws:SourceAccount': '111122223333' } },
    });
  });

  it('passes sufficient inline or customer-managed policies proven by simulation', () => {
    const custom = role({
      attached: ['arn:aws:iam::111122223333:policy/ssm-minimal'],
      simulated: decisions(),
    });
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(custom) }));

    expect(byId['iam.role-permissions']?.status).toBe('pass');
    expect(byId['iam.role-permissions']?.summary).toContain('simulated');
    expect(causes).toEqual([]);
  });

  it('fails a role missing ssm:UpdateInstanceInformation when DHMC is off, with the attach command', () => {
    const lacking = role({
      attached: [],
      simulated: decisions({ 'ssm:UpdateInstanceInformation': 'implicitDeny' }),
    });
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(lacking) }));

    expect(causes).toEqual(['ROLE_MISSING_SSM_PERMISSIONS']);
    expect(byId['iam.role-permissions']?.nextSteps?.[0]).toBe(
      'aws iam attach-role-policy --role-name app-role --policy-arn arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore',
    );
  });

  it('lets DHMC take over a role missing ssm:UpdateInstanceInformation', () => {
    const lacking = role({
      attached: [],
      simulated: decisions({ 'ssm:UpdateInstanceInformation': 'implicitDeny' }),
    });
    const { statuses, causes } = runCredentialChecks(
      buildFacts({ profile: profile(lacking), dhmc: dhmcOn() }),
    );

    expect(statuses['iam.role-permissions']).toBe('warn');
    expect(statuses['dhmc.role']).toBe('pass');
    expect(causes).toEqual([]);
  });

  it('degrades (does not block) a role missing only ssmmessages actions, even when DHMC is valid (the agent does not fall back)', () => {
    const lacking = role({
      attached: [],
      simulated: decisions({ 'ssmmessages:OpenDataChannel': 'implicitDeny' }),
    });
    const { byId, causes, degradations } = runCredentialChecks(
      buildFacts({ profile: profile(lacking), dhmc: dhmcOn() }),
    );

    expect(causes).toEqual([]);
    expect(degradations).toEqual(['ROLE_MISSING_SSM_PERMISSIONS']);
    expect(byId['iam.role-permissions']?.summary).toContain('ssmmessages:OpenDataChannel');
    expect(byId['dhmc.role']?.status).toBe('skip');
  });

  it('trusts an explicit deny from the simulation over an attached Core policy', () => {
    const bounded = role({ simulated: decisions({ 'ec2messages:GetMessages': 'explicitDeny' }) });
    const { causes, degradations } = runCredentialChecks(buildFacts({ profile: profile(bounded) }));
    const blocked = role({ simulated: decisions({ 'ssm:UpdateInstanceInformation': 'explicitDeny' }) });

    expect(causes).toEqual([]);
    expect(degradations).toEqual(['ROLE_MISSING_SSM_PERMISSIONS']);
    expect(runCredentialChecks(buildFacts({ profile: profile(blocked), dhmc: dhmcOn(null) })).causes).toEqual(
      ['ROLE_MISSING_SSM_PERMISSIONS', 'DHMC_ROLE_INVALID'],
    );
  });

  it('warns about the deprecated AmazonEC2RoleforSSM and recommends Core', () => {
    const old = role({ attached: [policy('service-role/AmazonEC2RoleforSSM')] });
    const { byId, causes } = runCredentialChecks(buildFacts({ profile: profile(old) }));

    expect(byId['iam.role-permissions']?.status).toBe('warn');
    expect(byId['iam.role-permissions']?.nextSteps?.[0]).toContain('AmazonSSMManagedInstanceCore');
    expect(causes).toEqual([]);
  });

  it('reads managed policy ARNs in the instance partition', () => {
    const cn = role({ attached: ['arn:aws-cn:iam::aws:policy/AmazonSSMManagedInstanceCore'] });
    const facts = { ...buildFacts({ profile: profile(cn) }), partition: 'aws-cn' };

    expect(runCredentialChecks(facts).statuses['iam.role-permissions']).toBe('pass');
  });
});

describe('credential readout failures', () => {
  it('answers unknown for the profile checks when the profile cannot be read, pass for a valid DHMC', () => {
    const { statuses, causes } = runCredentialChecks(
      buildFacts({ profile: denied('GetInstanceProfile'), dhmc: dhmcOn() }),
    );

    expect(statuses).toMatchObject({
      'iam.instance-profile': 'unknown',
      'iam.role-trust': 'unknown',
      'iam.role-permissions': 'unknown',
      'dhmc.role': 'pass',
    });
    expect(causes).toEqual([]);
  });

  it('answers unknown for DHMC when neither the profile nor a valid DHMC is known', () => {
    const { statuses } = runCredentialChecks(
      buildFacts({ profile: denied('GetInstanceProfile'), dhmc: dhmcOff }),
    );

    expect(statuses['dhmc.role']).toBe('unknown');
  });

  it('answers unknown for trust and permissions when the role cannot be read', () => {
    const { statuses, causes } = runCredentialChecks(buildFacts({ profile: profile(denied('GetRole')) }));

    expect(statuses).toMatchObject({
      'iam.instance-profile': 'pass',
      'iam.role-trust': 'unknown',
      'iam.role-permissions': 'unknown',
    });
    expect(causes).toEqual([]);
  });

  it('answers unknown for permissions when the simulation failed and no known policy is attached', () => {
    const unsure = role({ attached: [], simulated: denied('SimulatePrincipalPolicy') });
    const { byId } = runCredentialChecks(buildFacts({ profile: profile(unsure) }));

    expect(byId['iam.role-permissions']?.status).toBe('unknown');
    expect(byId['iam.role-permissions']?.summary).toContain(
      'SimulatePrincipalPolicy failed with AccessDenied',
    );
  });

  it('answers unknown when there is no profile and the DHMC setting cannot be read', () => {
    const { statuses, causes } = runCredentialChecks(
      buildFacts({ profile: null, dhmc: denied('GetServiceSetting') }),
    );

    expect(statuses['iam.instance-profile']).toBe('unknown');
    expect(statuses['dhmc.role']).toBe('unknown');
    expect(causes).toEqual([]);
  });

  it('answers unknown for a DHMC role whose read failed', () => {
    const { statuses } = runCredentialChecks(buildFacts({ profile: null, dhmc: dhmcOn(denied('GetRole')) }));

    expect(statuses['dhmc.role']).toBe('unknown');
    expect(statuses['iam.instance-profile']).toBe('unknown');
  });
});
