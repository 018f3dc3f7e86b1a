/**
 * The account's IAM in bulk, for when many profiles and roles are to be read: every instance
 * profile with its roles and their trust policies (`ListInstanceProfiles`, up to 1,000 a page),
 * and every role's attached and inline policies and boundary with every customer-managed policy
 * document (`GetAccountAuthorizationDetails`, filtered to roles and local managed policies). Each
 * is one readout: a denied or throttled listing makes the reader fall back to per-item reads, so
 * it never becomes a run error by itself.
 */
import {
  type IAMClient,
  type InstanceProfile,
  paginateGetAccountAuthorizationDetails,
  paginateListInstanceProfiles,
} from '@aws-sdk/client-iam';
import type { PolicyDocument } from '../engine/facts.ts';
import type { Readout } from '../engine/readout.ts';
import { attempt, DENIED_OR_THROTTLED } from './errors.ts';
import { drain } from './paging.ts';
import { decodePolicyDocument } from './policy-document.ts';

/** Every instance profile of the account, by name (names are unique in an account, paths aside). */
export function listInstanceProfiles(iam: IAMClient): Promise<Readout<Map<string, InstanceProfile>>> {
  return attempt(
    'ListInstanceProfiles',
    async () => {
      const profiles = await drain(
        paginateListInstanceProfiles({ client: iam, pageSize: 1000 }, {}),
        (page) => page.InstanceProfiles,
      );
      return new Map(profiles.map((p) => [p.InstanceProfileName ?? '', p]));
    },
    DENIED_OR_THROTTLED,
  );
}

/** What IAM holds about one role's permissions, beyond the trust policy its profile carries. */
export interface RoleDocuments {
  arn: string;
  attachedPolicyArns: string[];
  /** The documents of its inline policies. */
  inline: PolicyDocument[];
  boundaryArn?: string;
}

export interface AccountAuthorization {
  /** By role name. */
  roles: Map<string, RoleDocuments>;
  /** The default version of every customer-managed policy, by ARN. */
  localPolicies: Map<string, PolicyDocument>;
}

/**
 * Roles and customer-managed policies, all pages. `MaxItems` counts both kinds together, and IAM
 * may return fewer than asked (documents are large): the paginator follows `IsTruncated`.
 */
export function readAccountAuthorization(iam: IAMClient): Promise<Readout<AccountAuthorization>> {
  return attempt(
    'GetAccountAuthorizationDetails',
    async () => {
      const roles = new Map<string, RoleDocuments>();
      const localPolicies = new Map<string, PolicyDocument>();
      const pages = paginateGetAccountAuthorizationDetails(
        { client: iam, pageSize: 1000 },
        { Filter: ['Role', 'LocalManagedPolicy'] },
      );
      for await (const page of pages) {
        for (const role of page.RoleDetailList ?? []) {
          roles.set(role.RoleName ?? '', {
            arn: role.Arn ?? '',
            attachedPolicyArns: (role.AttachedManagedPolicies ?? [])
              .map((p) => p.PolicyArn ?? '')
              .filter(Boolean),
            inline: (role.RolePolicyList ?? []).map((p) => decodePolicyDocument(p.PolicyDocument)),
            ...(role.PermissionsBoundary?.PermissionsBoundaryArn
              ? { boundaryArn: role.PermissionsBoundary.PermissionsBoundaryArn }
              : {}),
          });
        }
        for (const policy of page.Policies ?? []) {
          const current = policy.PolicyVersionList?.find((v) => v.IsDefaultVersion);
          if (policy.Arn && current) localPolicies.set(policy.Arn, decodePolicyDocument(current.Document));
        }
      }
      return { roles, localPolicies };
    },
    DENIED_OR_THROTTLED,
  );
}
