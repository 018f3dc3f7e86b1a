/**
 * The six stage functions and what each may do. Every role is generated from the engine's
 * declarations (see `lib/iam/stage-statements.ts`) plus the table, the settings prefix or the
 * topic; nothing else. Each cdk-nag acknowledgement sits next to the grant that causes it.
 *
 * Memory and timeouts come from `npm run bench`: a whole 10,000-instance scan peaks at ~340 MB in
 * one process and makes ~900 calls (~6 s at 25 ms each, serial pages of 50 registrations being the
 * long pole). `start-run` holds the whole inventory, so it gets 1024 MB (Lambda CPU grows with
 * memory) and 5 minutes — 10× the measured time at a pessimistic 100 ms per call. A batch is 100
 * candidates (~60 calls): 1024 MB and 10 minutes leave room for throttling back-off. The other
 * stages read the run's findings from the table and make a handful of calls.
 */
import { Aws, Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  diagnosisStatements,
  discoveryStatement,
  remediationStatements,
  verificationStatement,
} from '../iam/stage-statements.ts';
import { DoctorFunction, type HandlerName } from './doctor-function.ts';
import type { RemediationProfile } from './remediation-profile.ts';
import type { ReportBucket } from './report-bucket.ts';
import type { RunSettings } from './settings.ts';

export interface StageFunctionsProps {
  table: dynamodb.ITable;
  topic: sns.ITopic;
  settings: RunSettings;
  remediationProfile: RemediationProfile;
  reportBucket: ReportBucket;
}

const NO_RESOURCE_LEVEL =
  'These Describe/Get reads support no resource-level permissions, so IAM only accepts Resource "*"; every action is read-only.';

export class StageFunctions extends Construct {
  readonly functions: Record<HandlerName, DoctorFunction>;

  constructor(scope: Construct, id: string, props: StageFunctionsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const make = (handler: HandlerName, description: string, memorySize: number, minutes: number, env = {}) =>
      new DoctorFunction(this, handler, {
        handler,
        description,
        memorySize,
        timeout: Duration.minutes(minutes),
        tableName: props.table.tableName,
        settingsPrefix: props.settings.prefix,
        environment: env,
      });
    const notifyEnv = { TOPIC_ARN: props.topic.topicArn, ACCOUNT_ID: Aws.ACCOUNT_ID };
    this.functions = {
      'start-run': make('start-run', 'Takes the run lock, reads settings, discovers candidates', 1024, 5),
      'diagnose-batch': make('diagnose-batch', 'Collects facts for one batch and runs the checks', 1024, 10),
      remediate: make('remediate', 'Plans and applies the safe fixes within the rails', 512, 5, {
        REMEDIATION_INSTANCE_PROFILE_NAME: props.remediationProfile.instanceProfile.instanceProfileName,
      }),
      verify: make('verify', 'Re-reads SSM for the instances that were fixed', 512, 2),
      report: make('report', 'Updates the ledger, emails what changed, releases the lock', 512, 3, notifyEnv),
      'notify-failure': make(
        'notify-failure',
        'Emails a failed run and releases its lock',
        512,
        1,
        notifyEnv,
      ),
    };
    for (const fn of Object.values(this.functions)) props.table.grantReadWriteData(fn.role);

    const start = this.functions['start-run'];
    start.addStatements(discoveryStatement(), props.settings.readStatement());
    start.acknowledge('AwsSolutions-IAM5[Resource::*]', NO_RESOURCE_LEVEL);
    start.acknowledge(
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ssm:<AWS::Region>:<AWS::AccountId>:parameter/ssm-doctor/*]',
      'Reads the settings below its own /ssm-doctor/ prefix only; the names under it are the engine settings.',
    );

    const diagnose = this.functions['diagnose-batch'];
    diagnose.addStatements(...diagnosisStatements());
    diagnose.acknowledge('AwsSolutions-IAM5[Resource::*]', NO_RESOURCE_LEVEL);

    const remediate = this.functions.remediate;
    remediate.addStatements(
      ...remediationStatements({
        partition: stack.partition,
        accountId: stack.account,
        remediationRoleArn: props.remediationProfile.role.roleArn,
        remediationProfileArn: props.remediationProfile.instanceProfile.instanceProfileArn,
      }),
    );
    remediate.acknowledge('AwsSolutions-IAM5[Resource::*]', NO_RESOURCE_LEVEL);
    remediate.acknowledge(
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ec2:*:<AWS::AccountId>:instance/*]',
      'Fixes target whichever instance a run diagnosed; the opt-out tag is enforced by an explicit deny on the same resources.',
    );
    remediate.acknowledge(
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:role/*]',
      'Any instance role may lack the core policy; iam:AttachRolePolicy is pinned to AmazonSSMManagedInstanceCore by an iam:PolicyARN condition; the other actions on roles are reads.',
    );
    remediate.acknowledge(
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:instance-profile/*]',
      'Re-reads (iam:GetInstanceProfile) the profile of whichever instance is about to be fixed; read-only.',
    );

    this.functions.verify.addStatements(verificationStatement());
    // The report tells "back online" apart from "stopped or terminated" for resolved instances.
    this.functions.report.addStatements(verificationStatement());
    this.functions.verify.acknowledge('AwsSolutions-IAM5[Resource::*]', NO_RESOURCE_LEVEL);
    this.functions.report.acknowledge('AwsSolutions-IAM5[Resource::*]', NO_RESOURCE_LEVEL);

    props.reportBucket.grantReportWriter(this.functions.report);
    for (const fn of [this.functions.report, this.functions['notify-failure']]) {
      fn.addStatements(putEventsStatement(stack));
      props.topic.grantPublish(fn.role);
      fn.acknowledge(
        'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
        'Publishing to a KMS-encrypted topic needs GenerateDataKey* (the SNS grant asks for it) and only on the topic key.',
      );
    }
  }
}

/** Finding changes and failed runs go to the account's default event bus, and nowhere else. */
const putEventsStatement = (stack: Stack) =>
  new PolicyStatement({
    actions: ['events:PutEvents'],
    resources: [`arn:${stack.partition}:events:${stack.region}:${stack.account}:event-bus/default`],
  });
