/**
 * IAM's identity-policy evaluation, as `iam:SimulatePrincipalPolicy` reports it: an explicit Deny
 * in any policy wins; otherwise an Allow in any policy allows; otherwise the action is implicitly
 * denied. A statement applies when its Action (or NotAction) and Resource (or NotResource) match,
 * with `*` (any run) and `?` (exactly one character) wildcards; action names are case-insensitive,
 * resources are not. A permissions boundary, when given, must also allow.
 *
 * Conditions are evaluated against a request context when one is given (`policy-conditions.ts`;
 * the keys a matching statement asked for and the context lacked are reported as `missing`);
 * without a context they are ignored (a conditional statement counts as matching). Not modeled:
 * SCPs/RCPs and resource-based policies. The simulated resource is matched literally: the default
 * `*` matches only statements whose Resource is a wildcard that covers the string `*`.
 */

import { evaluateCondition, type RequestContext } from './policy-conditions.ts';
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
  /** Condition keys a statement for this action and resource asked for and the context lacked. */
  missing?: string[];
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
  context: RequestContext | undefined,
  missing: Set<string>,
) {
  const matched: MatchedStatement[] = [];
  for (const source of sources) {
    for (const statement of statementsOf(source.document)) {
      if (statement.Effect !== effect || !statementApplies(statement, action, resource)) continue;
      if (context && statement.Condition !== undefined) {
        const outcome = evaluateCondition(statement.Condition, context);
        for (const key of outcome.missing) missing.add(key);
        if (!outcome.holds) continue;
      }
      matched.push({ SourcePolicyId: source.id, SourcePolicyType: source.type });
    }
  }
  return matched;
}

export function evaluate(
  sources: readonly PolicySource[],
  action: string,
  resource = '*',
  boundary?: PolicySource,
  context?: RequestContext,
): Evaluation {
  const missing = new Set<string>();
  const done = (decision: Decision, matched: MatchedStatement[]): Evaluation => ({
    decision,
    matched,
    ...(missing.size ? { missing: [...missing] } : {}),
  });
  const all = boundary ? [...sources, boundary] : sources;
  const denies = matching(all, 'Deny', action, resource, context, missing);
  if (denies.length) return done('explicitDeny', denies);
  const allows = matching(sources, 'Allow', action, resource, context, missing);
  if (!allows.length) return done('implicitDeny', []);
  if (boundary && !matching([boundary], 'Allow', action, resource, context, missing).length) {
    return done('implicitDeny', []);
  }
  return done('allowed', allows);
}
