/**
 * The exact commands a person runs to fix a credential finding, filled in with the instance's
 * region, partition, account and names so they can be pasted as they are.
 */
import type { InstanceFacts } from '../../facts.ts';
import { CORE_POLICY, DHMC_POLICY, managedPolicyArn } from './grants.ts';
import { trustPolicyFor } from './policy.ts';

const SETTING_PATH = '/ssm/managed-instance/default-ec2-instance-management-role';
/** The name the Systems Manager console gives the DHMC role it creates. */
const DEFAULT_DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';

const idOf = (facts: InstanceFacts) => facts.candidate.instance.InstanceId ?? '<instance-id>';

export function attachPolicy(facts: InstanceFacts, roleName: string, policy = CORE_POLICY): string {
  return `aws iam attach-role-policy --role-name ${roleName} --policy-arn ${managedPolicyArn(facts.partition, policy)}`;
}

export function associateProfile(facts: InstanceFacts): string {
  return (
    `aws ec2 associate-iam-instance-profile --region ${facts.region} --instance-id ${idOf(facts)} ` +
    `--iam-instance-profile Name=<profile-whose-role-has-${CORE_POLICY}>`
  );
}

/** A deleted profile stays associated; the association has to be replaced, not re-created by name. */
export function replaceProfile(facts: InstanceFacts): string[] {
  return [
    `aws ec2 describe-iam-instance-profile-associations --region ${facts.region} --filters Name=instance-id,Values=${idOf(facts)}`,
    `aws ec2 replace-iam-instance-profile-association --region ${facts.region} --association-id <association-id> ` +
      `--iam-instance-profile Name=<profile-whose-role-has-${CORE_POLICY}>`,
  ];
}

export function addRoleToProfile(profileName: string): string {
  return `aws iam add-role-to-instance-profile --instance-profile-name ${profileName} --role-name <role-with-${CORE_POLICY}>`;
}

export function fixTrust(roleName: string, service: string): string {
  return `aws iam update-assume-role-policy --role-name ${roleName} --policy-document '${trustPolicyFor(service)}'`;
}

/** `service-role/Name` → path `/service-role/` and name `Name`, as IAM wants them apart. */
export function splitRoleSetting(value: string): { path: string; name: string } {
  const parts = value.split('/').filter(Boolean);
  const name = parts.pop() ?? value;
  return { path: parts.length > 0 ? `/${parts.join('/')}/` : '/', name };
}

export function enableDhmc(facts: InstanceFacts, roleSetting = DEFAULT_DHMC_ROLE): string {
  const settingArn = `arn:${facts.partition}:ssm:${facts.region}:${facts.accountId}:servicesetting${SETTING_PATH}`;
  return `aws ssm update-service-setting --region ${facts.region} --setting-id ${settingArn} --setting-value ${roleSetting}`;
}

export function createDhmcRole(facts: InstanceFacts, roleSetting: string): string[] {
  const { path, name } = splitRoleSetting(roleSetting);
  return [
    `aws iam create-role --path ${path} --role-name ${name} --assume-role-policy-document '${trustPolicyFor('ssm.amazonaws.com')}'`,
    attachPolicy(facts, name, DHMC_POLICY),
  ];
}
