/**
 * The six stage functions, one per entry of the stage manifest (`lambdas/workflow/manifest.ts`):
 * each gets exactly the environment its manifest names and the IAM derived from it
 * (`lib/iam/stage-policy.ts`); nothing here lists an action.
 *
 * Memory and timeouts come from `npm run bench` (see SIZING).
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  type EnvName,
  STAGE_NAMES,
  STAGES,
  type StageManifest,
  type StageName,
} from '../../lambdas/workflow/manifest.ts';
import { PUBLISH_ACKNOWLEDGEMENT, stageGrants } from '../iam/stage-policy.ts';
import { DoctorFunction } from './doctor-function.ts';
import type { RemediationProfile } from './remediation-profile.ts';
import type { ReportBucket } from './report-bucket.ts';
import type { RunSettings } from './settings.ts';
import { executionsArn, stateMachineArn, stateMachineName } from './workflow.ts';

export interface StageFunctionsProps {
  table: dynamodb.ITable;
  topic: sns.ITopic;
  settings: RunSettings;
  remediationProfile: RemediationProfile;
  reportBucket: ReportBucket;
}

/**
 * Sized from `npm run bench` (README "Scale"), which runs each stage in processes of its own with
 * the heap limits of a 512 MB function and reports their peak RSS ("Max Memory Used"). At 100,000
 * instances / 10,000 candidates: Start run 352 MB, Report 426 MB, a batch 187 MB, Plan-and-apply
 * 215 MB. Start run and Report get 1024 MB — headroom over their 100k peaks (Report's would leave
 * 17% at 512) and twice the CPU for the two stages whose work grows with the region — the others
 * 512 MB. Start run's 10 minutes cover discovery (the node list, ~100 pages at 100,000 nodes; by id
 * at the assumed SSM rate, ~75 s, where it falls back) plus the shared reads; each Task times out
 * 30 s after its function (lib/constructs/workflow.ts).
 */
const SIZING: Record<StageName, { memorySize: number; minutes: number }> = {
  'start-run': { memorySize: 1024, minutes: 10 },
  'diagnose-batch': { memorySize: 512, minutes: 10 },
  remediate: { memorySize: 512, minutes: 5 },
  verify: { memorySize: 512, minutes: 2 },
  report: { memorySize: 1024, minutes: 5 },
  'notify-failure': { memorySize: 512, minutes: 1 },
};

export class StageFunctions extends Construct {
  readonly functions: Record<StageName, DoctorFunction>;

  constructor(scope: Construct, id: string, props: StageFunctionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const profile = props.remediationProfile;
    // One value for every variable a manifest may name: the compiler holds this list complete.
    const values: Record<EnvName, string> = {
      TABLE_NAME: props.table.tableName,
      SETTINGS_PREFIX: props.settings.prefix,
      TOPIC_ARN: props.topic.topicArn,
      ACCOUNT_ID: Aws.ACCOUNT_ID,
      PARTITION: Aws.PARTITION,
      REMEDIATION_INSTANCE_PROFILE_NAME: profile.instanceProfile.instanceProfileName,
      REPORT_BUCKET: props.reportBucket.bucket.bucketName,
      STATE_MACHINE_ARN: stateMachineArn(stack),
    };
    const targets = {
      table: props.table,
      topic: props.topic,
      settingsRead: () => props.settings.readStatement(),
      reportWrite: () => props.reportBucket.writeGrant(),
      work: (access: StageManifest['work']) => props.reportBucket.workGrant(access),
      executions: { arn: executionsArn(stack), stateMachineName: stateMachineName(stack) },
      fixScope: {
        partition: stack.partition,
        accountId: stack.account,
        region: stack.region,
        remediationRoleArn: profile.role.roleArn,
        // The profile's role, and every role CloudFormation named after this stack (its functions',
        // the state machine's): no fix may change them, whatever the allows say.
        protectedRoleArns: [
          profile.role.roleArn,
          stack.formatArn({
            service: 'iam',
            region: '',
            resource: 'role',
            resourceName: `${Aws.STACK_NAME}-*`,
          }),
        ],
        remediationProfileArn: profile.instanceProfile.instanceProfileArn,
      },
    };
    const made = STAGE_NAMES.map((stage) => {
      const manifest = STAGES[stage];
      const fn = new DoctorFunction(this, stage, {
        stage,
        description: manifest.description,
        memorySize: SIZING[stage].memorySize,
        timeout: Duration.minutes(SIZING[stage].minutes),
        environment: Object.fromEntries(manifest.env.map((name: EnvName) => [name, values[name]])),
      });
      for (const grant of stageGrants(stack, manifest, targets)) {
        fn.addStatements(...grant.statements);
        for (const [finding, reason] of Object.entries(grant.acknowledgements ?? {}))
          fn.acknowledge(finding, reason);
      }
      if (manifest.publishes) {
        props.topic.grantPublish(fn.role);
        for (const [finding, reason] of Object.entries(PUBLISH_ACKNOWLEDGEMENT))
          fn.acknowledge(finding, reason);
      }
      return [stage, fn] as const;
    });
    this.functions = Object.fromEntries(made) as Record<StageName, DoctorFunction>;
  }
}
