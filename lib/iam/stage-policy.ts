/**
 * A stage's IAM, derived from its manifest (`lambdas/workflow/manifest.ts`) and nothing else:
 * - `reads`: the actions of each fact source (`engine/fact-sources.ts`), scoped where IAM allows;
 * - `fixes`: each fix's own statements (writes with their pinning conditions, and the re-reads
 *   before them) plus the explicit opt-out deny (`engine/remediation/fixes.ts`);
 * - `readsSettings`: GetParametersByPath on the settings path;
 * - `publishes`: publish to the topic (and its key);
 * - `table`: the run's items, or (failure) the lock item, the outbox and reading the journal;
 * - `checksExecution`: DescribeExecution on this stack's state machine's executions only.
 * Each grant that needs a cdk-nag acknowledgement carries it, with the reason, next to it.
 */
import type { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { DHMC_SETTING_ID } from '../../lambdas/aws/dhmc.ts';
import { FACT_SOURCES, type FactSource } from '../../lambdas/engine/fact-sources.ts';
import type { PolicyStatement as EngineStatement } from '../../lambdas/engine/facts.ts';
import { FIXES, optOutDenyStatements, type PermissionScope } from '../../lambdas/engine/remediation/fixes.ts';
import { journalKey } from '../../lambdas/workflow/journal.ts';
import type { StageManifest } from '../../lambdas/workflow/manifest.ts';
import { OUTBOX_PARTITION } from '../../lambdas/workflow/outbox.ts';
import { LOCK_PARTITION_KEY } from '../../lambdas/workflow/store.ts';

export interface StageGrantTargets {
  table: dynamodb.ITable;
  topic: sns.ITopic;
  /** The settings read (its resource is the settings path). */
  settingsRead: () => iam.PolicyStatement;
  fixScope: PermissionScope;
  /** Putting one run's reports in the report bucket (`ReportBucket.writeGrant`). */
  reportWrite: () => Grant;
  /** Putting or getting the run's work objects (`ReportBucket.workGrant`). */
  work: (access: StageManifest['work']) => Grant;
  /** Every execution of this stack's state machine: its ARN pattern (`…:execution:<name>:*`) and name. */
  executions: { arn: string; stateMachineName: string };
}

export interface Grant {
  statements: iam.PolicyStatement[];
  /** cdk-nag findings this grant raises, with why they are acceptable. */
  acknowledgements?: Record<string, string>;
}

const NO_RESOURCE_LEVEL =
  'These Describe/Get reads support no resource-level permissions, so IAM only accepts Resource "*"; every action is read-only.';

/** What RunStore calls on the table (lambdas/workflow/store.ts); no Scan, no batch writes. */
const RUN_TABLE_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:DeleteItem',
  'dynamodb:Query',
  'dynamodb:BatchGetItem',
];
/** The lock (take, release) and the outbox (sent marks, kept emails, untold runs). */
const LOCK_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'];

/** Actions of a fact source that IAM can scope, by the resource they name. */
function scopedReads(stack: Stack, actions: readonly string[]): Grant {
  const iamArn = (resource: string) =>
    stack.formatArn({ service: 'iam', region: '', resource, resourceName: '*' });
  const roleReads = ['iam:GetRole', 'iam:ListAttachedRolePolicies', 'iam:SimulatePrincipalPolicy'];
  const statements: iam.PolicyStatement[] = [];
  const acknowledgements: Record<string, string> = {};
  const rest = actions.filter(
    (a) => !roleReads.includes(a) && a !== 'iam:GetInstanceProfile' && a !== 'ssm:GetServiceSetting',
  );
  if (rest.length) {
    statements.push(new iam.PolicyStatement({ actions: [...rest], resources: ['*'] }));
    acknowledgements['AwsSolutions-IAM5[Resource::*]'] = NO_RESOURCE_LEVEL;
  }
  const onRoles = actions.filter((a) => roleReads.includes(a));
  if (onRoles.length) {
    statements.push(new iam.PolicyStatement({ actions: onRoles, resources: [iamArn('role')] }));
    acknowledgements['AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]'] =
      'Reads (and simulates) whichever role an instance profile or the DHMC setting names; read-only.';
  }
  if (actions.includes('iam:GetInstanceProfile')) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['iam:GetInstanceProfile'],
        resources: [iamArn('instance-profile')],
      }),
    );
    acknowledgements[
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*]'
    ] = 'Reads whichever instance profile a candidate uses; read-only.';
  }
  if (actions.includes('ssm:GetServiceSetting')) {
    statements.push(
      new iam.PolicyStatement({
        actions: ['ssm:GetServiceSetting'],
        resources: [
          stack.formatArn({
            service: 'ssm',
            resource: 'servicesetting',
            resourceName: DHMC_SETTING_ID.slice(1),
          }),
        ],
      }),
    );
  }
  return { statements, acknowledgements };
}

function readGrant(stack: Stack, sources: readonly FactSource[]): Grant {
  const actions = [...new Set(sources.flatMap((source) => FACT_SOURCES[source]))].sort();
  return actions.length ? scopedReads(stack, actions) : { statements: [] };
}

/**
 * Each fix declares the reads it makes right before acting; several fixes re-read the same
 * instances, so those unconditional `*` reads become one statement (each action granted once).
 */
function mergeReReads(statements: EngineStatement[]): EngineStatement[] {
  const isPlainRead = (s: EngineStatement) => s.Effect === 'Allow' && s.Resource === '*' && !s.Condition;
  const reads = [...new Set(statements.filter(isPlainRead).flatMap((s) => [s.Action ?? []].flat()))].sort();
  return [
    ...statements.filter((s) => !isPlainRead(s)),
    ...(reads.length
      ? [{ Sid: 'ReReadsBeforeFixes', Effect: 'Allow' as const, Action: reads, Resource: '*' }]
      : []),
  ];
}

function fixGrant(manifest: StageManifest, scope: PermissionScope): Grant {
  if (!manifest.fixes.length) return { statements: [] };
  const statements = mergeReReads([
    ...manifest.fixes.flatMap((id) => FIXES[id].statements(scope)),
    ...optOutDenyStatements(scope),
  ]).map((s) => iam.PolicyStatement.fromJson(s));
  return {
    statements,
    acknowledgements: {
      'AwsSolutions-IAM5[Resource::*]': NO_RESOURCE_LEVEL,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:<AWS::Region>:<AWS::AccountId>:instance/*]':
        'Fixes target whichever instance of this region a run diagnosed; the opt-out tag is enforced by an explicit deny on the same resources.',
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]':
        "Any instance role may lack the core policy; iam:AttachRolePolicy is pinned to AmazonSSMManagedInstanceCore by an iam:PolicyARN condition and denied on opted-out and on the stack's own roles; the other actions on roles are reads.",
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*]':
        'Re-reads (iam:GetInstanceProfile) the profile of whichever instance is about to be fixed; read-only.',
    },
  };
}

function tableGrant(manifest: StageManifest, table: dynamodb.ITable): Grant {
  if (manifest.table === 'failure') {
    return {
      statements: [
        new iam.PolicyStatement({
          sid: 'TheRunLockAndOutbox',
          actions: LOCK_TABLE_ACTIONS,
          resources: [table.tableArn],
          conditions: {
            'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [LOCK_PARTITION_KEY, OUTBOX_PARTITION] },
          },
        }),
        // The failure email lists the run's changes: the journal is read, never written, here.
        new iam.PolicyStatement({
          sid: 'ReadTheChangeJournal',
          actions: ['dynamodb:Query'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [journalKey('*')] } },
        }),
      ],
    };
  }
  return {
    statements: [
      new iam.PolicyStatement({ sid: 'RunTable', actions: RUN_TABLE_ACTIONS, resources: [table.tableArn] }),
    ],
  };
}

/** Every grant of a stage, from its manifest. `publishes` is granted by the topic itself (see caller). */
export function stageGrants(stack: Stack, manifest: StageManifest, targets: StageGrantTargets): Grant[] {
  return [
    tableGrant(manifest, targets.table),
    readGrant(stack, manifest.reads),
    ...(manifest.readsSettings
      ? [
          {
            statements: [targets.settingsRead()],
            acknowledgements: {
              'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/ssm-doctor/*]':
                'Reads the settings below its own /ssm-doctor/ prefix only; the names under it are the engine settings.',
            },
          },
        ]
      : []),
    fixGrant(manifest, targets.fixScope),
    ...(manifest.archivesReports ? [targets.reportWrite()] : []),
    ...(manifest.work.length ? [targets.work(manifest.work)] : []),
    ...(manifest.emitsEvents ? [eventsGrant(stack)] : []),
    ...(manifest.checksExecution ? [executionGrant(targets.executions)] : []),
  ];
}

/** `checksExecution`: describe this stack's own executions (is the run still running?), nothing else. */
function executionGrant(executions: StageGrantTargets['executions']): Grant {
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'DescribeOwnExecutions',
        actions: ['states:DescribeExecution'],
        resources: [executions.arn],
      }),
    ],
    acknowledgements: {
      [`AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${executions.stateMachineName}:*]`]:
        "Execution names are run ids, unknown when the stack is made: the read is limited to this stack's state machine's executions.",
    },
  };
}

/** Finding changes and failed runs go to the account's default event bus, and nowhere else. */
function eventsGrant(stack: Stack): Grant {
  return {
    statements: [
      new iam.PolicyStatement({
        sid: 'PutEventsOnTheDefaultBus',
        actions: ['events:PutEvents'],
        resources: [stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' })],
      }),
    ],
  };
}

export const PUBLISH_ACKNOWLEDGEMENT = {
  'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
    'Publishing to a KMS-encrypted topic needs GenerateDataKey* (the SNS grant asks for it) and only on the topic key.',
};
