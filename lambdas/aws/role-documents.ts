/**
 * When a role's own documents decide, without asking IAM to simulate it. They do only in the plain
 * case, and only for "allowed": a sufficient managed policy (`grants.ts`: AmazonSSMManagedInstanceCore
 * and the like, which grant every required action on `*` without conditions) is attached, there is
 * no permissions boundary, every other policy's document was read (inline and customer-managed;
 * any other AWS-managed policy is not read, so it may hold a deny) and none of their statements
 * that covers a required action is a Deny or carries a Condition. Whether an SCP can intervene is
 * not in the documents at all: the reader establishes it separately (a simulation in the same
 * account that reports no `OrganizationsDecisionDetail`), and simulates every role otherwise.
 * Everything else — denies, boundaries, conditions, unknown policies, roles without a sufficient
 * policy — is simulated as before, so the verdicts the checks draw do not change.
 */
import { managedPolicyArn } from '../engine/checks/credentials/grants.ts';
import { asList, statementCovers } from '../engine/checks/credentials/policy.ts';
import type { PolicyDocument } from '../engine/facts.ts';
import type { AccountAuthorization, RoleDocuments } from './iam-listing.ts';

export interface Requirement {
  actions: readonly string[];
  sufficientPolicies: readonly string[];
}

/** The ARNs a sufficient policy may be attached under (with or without its path, as `grants.ts` accepts). */
function sufficientArns(partition: string, names: readonly string[]): Set<string> {
  return new Set(
    names.flatMap((name) => [
      managedPolicyArn(partition, name),
      managedPolicyArn(partition, name.split('/').pop() ?? name),
    ]),
  );
}

/** No statement of the document that covers a required action can deny it or depend on a condition. */
function onlyPlainAllows(document: PolicyDocument, actions: readonly string[]): boolean {
  return asList(document.Statement).every(
    (statement) =>
      !actions.some((action) => statementCovers(statement, action)) ||
      (statement.Effect === 'Allow' && statement.Condition === undefined),
  );
}

export function documentsAllow(
  role: RoleDocuments,
  account: Pick<AccountAuthorization, 'localPolicies'>,
  requirement: Requirement,
): boolean {
  if (role.boundaryArn) return false;
  const partition = role.arn.split(':')[1] || 'aws';
  const sufficient = sufficientArns(partition, requirement.sufficientPolicies);
  if (!role.attachedPolicyArns.some((arn) => sufficient.has(arn))) return false;
  const others: PolicyDocument[] = [...role.inline];
  for (const arn of role.attachedPolicyArns) {
    if (sufficient.has(arn)) continue;
    const document = account.localPolicies.get(arn);
    if (!document) return false;
    others.push(document);
  }
  return others.every((document) => onlyPlainAllows(document, requirement.actions));
}
