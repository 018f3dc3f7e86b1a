/**
 * Where people hear from ssm-doctor: one SNS topic, encrypted with a customer-managed key
 * (rotation on), TLS-only, with an email subscription when the NotificationEmail parameter is set.
 * The report and failure functions publish to it, and so do the CloudWatch alarms.
 */
import { ArnFormat, CfnCondition, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** Empty string = no subscription. */
  email: string;
}

export class Notifications extends Construct {
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: NotificationsProps) {
    super(scope, id);
    // The key only protects messages in flight on this topic: it goes with the stack (after the
    // shortest waiting period KMS allows) instead of lingering, billed, after `cdk destroy`.
    this.key = new kms.Key(this, 'TopicKey', {
      description: 'Encrypts the ssm-doctor notification topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'ssm-doctor',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.allowCloudWatchAlarms();

    const hasEmail = new CfnCondition(this, 'HasEmail', {
      expression: Fn.conditionNot(Fn.conditionEquals(props.email, '')),
    });
    const subscription = new sns.CfnSubscription(this, 'EmailSubscription', {
      topicArn: this.topic.topicArn,
      protocol: 'email',
      endpoint: props.email,
    });
    subscription.cfnOptions.condition = hasEmail;
  }

  /**
   * CloudWatch alarms publish as the service, so the topic policy must let it in (only for alarms
   * of this account) and the key must let it encrypt. A key policy's `Resource: *` means "this key".
   */
  private allowCloudWatchAlarms(): void {
    const stack = Stack.of(this);
    const cloudwatch = new iam.ServicePrincipal('cloudwatch.amazonaws.com');
    const thisAccountsAlarms = {
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
      StringEquals: { 'aws:SourceAccount': stack.account },
    };
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisAccountsAlarms',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: thisAccountsAlarms,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToUseTheKey',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only for this account's alarms (confused deputy: CloudWatch acting for someone else).
        conditions: thisAccountsAlarms,
      }),
    );
  }
}
