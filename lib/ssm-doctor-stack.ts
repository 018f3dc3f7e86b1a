/**
 * ssm-doctor, one stack per account and region: the parameters, and the constructs that each own
 * one concern (settings, storage, notifications, remediation profile, functions, workflow,
 * schedule, monitoring).
 */
import { Stack, type StackProps, Tags } from 'aws-cdk-lib';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { OPT_OUT_TAG } from '../lambdas/engine/tags.ts';
import { STAGE_NAMES, STAGES, type StageName } from '../lambdas/workflow/manifest.ts';
import type { DoctorFunction } from './constructs/doctor-function.ts';
import { StageFunctions } from './constructs/functions.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Notifications } from './constructs/notifications.ts';
import { RemediationProfile } from './constructs/remediation-profile.ts';
import { ReportBucket } from './constructs/report-bucket.ts';
import { RunSchedule } from './constructs/schedule.ts';
import { RunSettings } from './constructs/settings.ts';
import { RunStorage } from './constructs/storage.ts';
import { Workflow } from './constructs/workflow.ts';
import { declareParameters } from './parameters.ts';

/** How `bin/app.ts` (and the stack tests) name and describe the stack. */
export const SSM_DOCTOR_STACK_PROPS: StackProps = {
  stackName: 'ssm-doctor',
  description:
    'ssm-doctor: finds EC2 instances Systems Manager does not manage, diagnoses why, applies the safe fixes and emails people',
};

export interface SsmDoctorStackProps extends StackProps {
  /**
   * Who may subscribe to the notification topic (IAM principal ARNs, wildcards allowed); also the
   * context value `adminPrincipalArns` (comma-separated). Default: principals of this account.
   */
  adminPrincipalArns?: readonly string[];
}

/** `-c adminPrincipalArns=arn:…,arn:…` (or a JSON list in cdk.json). */
function adminPrincipalsFromContext(scope: Construct): string[] | undefined {
  const value: unknown = scope.node.tryGetContext('adminPrincipalArns');
  if (value === undefined || value === '') return undefined;
  const list = Array.isArray(value) ? value : String(value).split(',');
  return list.map((v) => String(v).trim()).filter(Boolean);
}

export class SsmDoctorStack extends Stack {
  readonly functions: Record<StageName, DoctorFunction>;
  readonly stateMachine: StateMachine;
  readonly remediationProfile: RemediationProfile;

  constructor(scope: Construct, id: string, props?: SsmDoctorStackProps) {
    super(scope, id, props);
    const parameters = declareParameters(this);

    const settings = new RunSettings(this, 'Settings', { parameters: parameters.settings });
    const storage = new RunStorage(this, 'Storage');
    const notifications = new Notifications(this, 'Notifications', {
      email: parameters.notificationEmail.valueAsString,
      adminPrincipalArns: props?.adminPrincipalArns ?? adminPrincipalsFromContext(this) ?? [],
    });
    this.remediationProfile = new RemediationProfile(this, 'RemediationProfile');
    this.functions = new StageFunctions(this, 'Functions', {
      table: storage.table,
      topic: notifications.topic,
      settings,
      remediationProfile: this.remediationProfile,
      reportBucket: new ReportBucket(this, 'Reports'),
    }).functions;
    // Only the functions that publish (their roles) may; every other principal is denied.
    notifications.allowPublishers(
      STAGE_NAMES.filter((stage) => STAGES[stage].publishes).map((stage) => this.functions[stage].role),
    );
    this.stateMachine = new Workflow(this, 'Workflow', { functions: this.functions }).stateMachine;
    const schedule = new RunSchedule(this, 'RunSchedule', {
      expression: parameters.schedule.valueAsString,
      stateMachine: this.stateMachine,
    });
    new Monitoring(this, 'Monitoring', {
      stateMachine: this.stateMachine,
      topic: notifications.topic,
      startRun: this.functions['start-run'],
      report: this.functions.report,
      scheduleDeadLetters: schedule.deadLetterQueue,
    });
    // The stack's own roles are opted out: the engine never plans a change to them, and the
    // explicit deny on opted-out roles holds even if an allow were widened.
    Tags.of(this).add(OPT_OUT_TAG, 'false', { includeResourceTypes: ['AWS::IAM::Role'] });
  }
}
