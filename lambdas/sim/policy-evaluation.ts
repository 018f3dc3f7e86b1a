/**
 * IAM's identity-policy evaluation, as `iam:SimulatePrincipalPolicy` reports it: an explicit Deny
 * in any policy wins; otherwise an Allow in any policy allows; otherwise the action is implicitly
 * denied. A statement applies when its Action (or NotAction) and Resource (or NotResource) match,
 * with `*` (any run) and `?` (exactly one character) wildcards; action names are case-insensitive,
 * resources are not. A permissions boundary, when given, must also allow.
 *
 * Not modeled: Condition blocks are ignored (a conditional statement counts as matching, as if
 * every condition held), as are policy variables, SCPs/RCPs and resource-based policies. The
 * simulated resource is matched literally: the default `*` matches only statements whose
 * Resource is a wildcard that covers the string `*` (`*` itself, `arn:*`…).
 */
import { asList, type PolicyDocument, type PolicyStatement, statementsOf } from './policy-document.ts';

export type Decision = 'allowed' | 'implicitDeny' | 'explicitDeny';
export type SourcePolicyType =
  | 'aws-managed'
  | 'user-managed'
  | 'role'
  | 'none'
  | 'user'
  | 'group'
  | 'resource';

export interface PolicySource {
  /** As IAM reports it: the policy name, or `PolicyInputList.N` for supplied documents. */
  id: string;
  type: SourcePolicyType;
  document: PolicyDocument;
}

export interface MatchedStatement {
  SourcePolicyId: string;
  SourcePolicyType: SourcePolicyType;
}

export interface Evaluation {
  decision: Decision;
  /** The statements that decided: the denying ones for explicitDeny, the allowing ones for allowed. */
  matched: MatchedStatement[];
}

const patterns = new Map<string, RegExp>();

function globToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let re = patterns.get(key);
  if (!re) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, caseInsensitive ? 'is' : 's');
    patterns.set(key, re);
  }
  return re;
}

export const actionMatches = (pattern: string, action: string): boolean =>
  globToRegExp(pattern, true).test(action);
export const resourceMatches = (pattern: string, resource: string): boolean =>
  globToRegExp(pattern, false).test(resource);

export function statementApplies(statement: PolicyStatement, action: string, resource: string): boolean {
  const actionHit =
    statement.Action !== undefined
      ? asList(statement.Action).some((p) => actionMatches(p, action))
      : !asList(statement.NotAction).some((p) => actionMatches(p, action));
  if (!actionHit) return false;
  if (statement.Resource !== undefined)
    return asList(statement.Resource).some((p) => resourceMatches(p, resource));
  if (statement.NotResource !== undefined)
    return !asList(statement.NotResource).some((p) => resourceMatches(p, resource));
  return true;
}

function matching(
  sources: readonly PolicySource[],
  effect: 'Allow' | 'Deny',
  action: string,
  resource: string,
) {
  const matched: MatchedStatement[] = [];
  for (const source of sources) {
    for (const statement of statementsOf(source.document)) {
      if (statement.Effect === effect && statementApplies(statement, action, resource)) {
        matched.push({ SourcePolicyId: source.id, SourcePolicyType: source.type });
      }
    }
  }
  return matched;
}

export function evaluate(
  sources: readonly PolicySource[],
  action: string,
  resource = '*',
  boundary?: PolicySource,
): Evaluation {
  const all = boundary ? [...sources, boundary] : sources;
  const denies = matching(all, 'Deny', action, resource);
  if (denies.length) return { decision: 'explicitDeny', matched: denies };
  const allows = matching(sources, 'Allow', action, resource);
  if (!allows.length) return { decision: 'implicitDeny', matched: [] };
  if (boundary && !matching([boundary], 'Allow', action, resource).length) {
    return { decision: 'implicitDeny', matched: [] };
  }
  return { decision: 'allowed', matched: allows };
}
