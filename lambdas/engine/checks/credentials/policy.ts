/**
 * Just enough IAM policy evaluation for the credential checks: does a trust policy let a service
 * assume the role, and does an action pattern (`sts:*`, `ssm:Update*`) cover an action. Conditions
 * are not evaluated (they need request context we do not have); they are reported instead.
 */
import type { PolicyDocument, PolicyStatement } from '../../facts.ts';

export const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** IAM matches actions case-insensitively; `*` is any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  const source = [...pattern]
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, 'i').test(action);
}

/** Whether a statement's Action (or the complement of its NotAction) covers `action`. */
export function statementCovers(statement: PolicyStatement, action: string): boolean {
  if (statement.Action !== undefined) return asList(statement.Action).some((p) => actionMatches(p, action));
  if (statement.NotAction !== undefined)
    return !asList(statement.NotAction).some((p) => actionMatches(p, action));
  return false;
}

/**
 * Service principals as written in trust policies. China regions historically used the
 * `.amazonaws.com.cn` form, and both are accepted there, so either spelling counts.
 */
function namesService(principal: PolicyStatement['Principal'], service: string): boolean {
  if (principal === undefined) return false;
  if (principal === '*') return true;
  if (asList(principal.AWS).includes('*')) return true;
  return asList(principal.Service).some((name) => name === service || name === `${service}.cn`);
}

export interface TrustVerdict {
  trusted: boolean;
  /** The service that must be trusted, e.g. `ec2.amazonaws.com`. */
  service: string;
  /** The Sid (or `Statement[n]`) that allows it, or that denies it. */
  allowedBy?: string;
  deniedBy?: string;
  /** Conditions on the deciding statements: not evaluated, shown so a person can judge them. */
  conditions?: Record<string, unknown>;
  /** Every service the policy names in an Allow, to say what it trusts instead. */
  trustedServices: string[];
}

const label = (statement: PolicyStatement, index: number) => statement.Sid || `Statement[${index}]`;

/** Does `doc` let `service` call `sts:AssumeRole`? An unconditional Deny for it wins over any Allow. */
export function evaluateTrust(doc: PolicyDocument, service: string): TrustVerdict {
  const statements = asList(doc.Statement);
  const applies = (s: PolicyStatement) =>
    namesService(s.Principal, service) && statementCovers(s, 'sts:AssumeRole');
  const trustedServices = statements
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (s.Principal && s.Principal !== '*' ? asList(s.Principal.Service) : []));
  const conditions: Record<string, unknown> = {};

  let deniedBy: string | undefined;
  statements.forEach((s, i) => {
    if (s.Effect !== 'Deny' || !applies(s)) return;
    if (s.Condition) conditions[label(s, i)] = s.Condition;
    else deniedBy ??= label(s, i);
  });
  const allowIndex = statements.findIndex((s) => s.Effect === 'Allow' && !s.NotPrincipal && applies(s));
  const allow = statements[allowIndex];
  if (allow?.Condition) conditions[label(allow, allowIndex)] = allow.Condition;

  return {
    trusted: allow !== undefined && deniedBy === undefined,
    service,
    ...(allow ? { allowedBy: label(allow, allowIndex) } : {}),
    ...(deniedBy ? { deniedBy } : {}),
    ...(Object.keys(conditions).length > 0 ? { conditions } : {}),
    trustedServices: [...new Set(trustedServices)],
  };
}

/** The smallest trust policy that lets `service` assume a role, for next steps. */
export function trustPolicyFor(service: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
  });
}
