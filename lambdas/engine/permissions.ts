/**
 * Least-privilege IAM, generated from what the checks and fixes declare (habit 4: permissions are
 * data). `ssm-doctor permissions` prints these documents and the stack grants the same statements.
 */
import { ALL_CHECKS } from './checks/index.ts';
import { FACT_SOURCES, type FactSource } from './fact-sources.ts';
import type { PolicyDocument, PolicyStatement } from './facts.ts';
import { FIXES, optOutDenyStatements, type PermissionScope } from './remediation/fixes.ts';

/**
 * Fact sources a scan reads: discovery, everything a check reads, and for planning IMDSv1 usage
 * and who uses a role that `attach-core-policy` might change.
 */
export function scanSources(): FactSource[] {
  const sources = new Set<FactSource>([
    'runningInstances',
    'nodeList',
    'registrations',
    'metadataUsage',
    'roleUsers',
  ]);
  for (const check of ALL_CHECKS) for (const source of check.reads) sources.add(source);
  return [...sources];
}

export function actionsFor(sources: Iterable<FactSource>): string[] {
  const actions = new Set<string>();
  for (const source of sources) for (const action of FACT_SOURCES[source]) actions.add(action);
  return [...actions].sort();
}

/**
 * Read-only statement for a scan. `Resource: *` because EC2 Describe*, SSM Describe*, IAM
 * simulation and CloudWatch GetMetricData support no resource-level permissions for reads of a
 * whole account.
 */
export function scanStatements(): PolicyStatement[] {
  return [
    { Sid: 'SsmDoctorReadOnlyDiagnosis', Effect: 'Allow', Action: actionsFor(scanSources()), Resource: '*' },
  ];
}

/** Re-reads right before acting (running? opted out? still needed?) plus every fix and the opt-out deny. */
export function fixStatements(scope: PermissionScope): PolicyStatement[] {
  return [...Object.values(FIXES).flatMap((fix) => fix.statements(scope)), ...optOutDenyStatements(scope)];
}

export function policyDocument(statements: PolicyStatement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** The policy `ssm-doctor permissions [--fix] [--record]` prints for an operator's own credentials. */
export function cliPolicy(options: { fix: boolean; record?: boolean; partition?: string }): PolicyDocument {
  const scope: PermissionScope = {
    partition: options.partition ?? 'aws',
    accountId: '*',
    region: '*',
    remediationRoleArn: `arn:${options.partition ?? 'aws'}:iam::*:role/ssm-doctor-*`,
  };
  const recording: PolicyStatement[] = options.record
    ? [
        {
          Sid: 'SsmDoctorRecordPolicyDocuments',
          Effect: 'Allow',
          Action: actionsFor(['recording']),
          Resource: '*',
        },
      ]
    : [];
  return policyDocument([...scanStatements(), ...recording, ...(options.fix ? fixStatements(scope) : [])]);
}
