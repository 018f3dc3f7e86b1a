/**
 * IAM for each workflow stage, built from what the engine declares (`FACT_SOURCES`, `scanStatements`,
 * `fixStatements`) and converted with `PolicyStatement.fromJson`, so the deployed policy and the
 * code cannot drift. Nothing here lists an EC2/IAM/SSM action that the engine does not declare:
 * `pick` only accepts actions its fact source already names (checked by the compiler and at synth).
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import { FACT_SOURCES, type FactSource } from '../../lambdas/engine/fact-sources.ts';
import type { PolicyStatement as EngineStatement } from '../../lambdas/engine/facts.ts';
import { actionsFor, fixStatements, scanStatements } from '../../lambdas/engine/permissions.ts';
import type { PermissionScope } from '../../lambdas/engine/remediation/fixes.ts';

type ActionOf<S extends FactSource> = (typeof FACT_SOURCES)[S][number];

/** A subset of one fact source's actions, for a stage that re-reads only part of what a scan reads. */
export function pick<S extends FactSource>(source: S, ...actions: ActionOf<S>[]): string[] {
  const declared: readonly string[] = FACT_SOURCES[source];
  const unknown = actions.filter((action) => !declared.includes(action));
  if (unknown.length > 0) throw new Error(`${unknown.join(', ')} not declared by fact source ${source}`);
  return actions;
}

const fromEngine = (statements: EngineStatement[]) => statements.map((s) => iam.PolicyStatement.fromJson(s));

/**
 * start-run: discovery reads every instance and every SSM registration. `Resource: *` because
 * ec2:DescribeInstances and ssm:DescribeInstanceInformation have no resource-level permissions.
 */
export const discoveryStatement = () =>
  new iam.PolicyStatement({ sid: 'DiscoverInstances', actions: actionsFor(['inventory']), resources: ['*'] });

/** diagnose-batch: the engine's read-only scan statement (every fact source a check reads). */
export const diagnosisStatements = () => fromEngine(scanStatements());

/**
 * remediate: the engine's fix statements, each write with the conditions that pin it and the
 * re-reads the applier makes right before it (running? opted out? still needed?), plus the
 * explicit opt-out deny. The engine owns the re-reads, so adding one there adds it here.
 */
export const remediationStatements = (scope: PermissionScope) => fromEngine(fixStatements(scope));

/** verify: re-reads SSM registration of the fixed instances (no resource-level permissions). */
export const verificationStatement = () =>
  new iam.PolicyStatement({
    sid: 'VerifyRegistration',
    actions: pick('inventory', 'ssm:DescribeInstanceInformation'),
    resources: ['*'],
  });
