/**
 * Where people hear from ssm-doctor: one SNS topic, encrypted with a customer-managed key
 * (rotation on), TLS-only, with an email subscription when the NotificationEmail parameter is set.
 * The report and failure functions publish to it, and so do the CloudWatch alarms.
 *
 * Its policy says who may do what, and denies everyone else explicitly (an identity policy of the
 * account granting `sns:*` cannot widen it): only the stack's own functions (`allowPublishers`)
 * and this account's CloudWatch alarms publish — a spoofed "all clear" is refused — and only the
 * operator's admins (`adminPrincipalArns`, default: the account) subscribe an endpoint.
 */
import { ArnFormat, CfnCondition, Duration, Fn, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface NotificationsProps {
  /** Empty string = no subscription. */
  email: string;
  /**
   * Who may subscribe an endpoint (IAM principal ARNs, wildcards allowed, e.g.
   * `arn:aws:iam::111122223333:role/Admin*`). Default: principals of this account, as their own
   * IAM policies allow (`aws:PrincipalAccount`); nobody outside it.
   */
  adminPrincipalArns?: readonly string[];
}

const CLOUDWATCH = 'cloudwatch.amazonaws.com';

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
    this.restrictSubscribers(props.adminPrincipalArns ?? []);

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
   * Only these roles (the stack's functions) and this account's CloudWatch alarms may publish:
   * everyone else is denied, whatever their own IAM policies say. `aws:PrincipalArn` is the role
   * ARN of a role session; a service principal has no `aws:PrincipalArn` but
   * `aws:PrincipalServiceName`, so the alarms pass the first deny and meet the second.
   */
  allowPublishers(roles: readonly iam.IRole[]): void {
    const stack = Stack.of(this);
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyTheStacksFunctionsAndAlarmsPublish',
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringNotEquals: {
            'aws:PrincipalArn': roles.map((r) => r.roleArn),
            'aws:PrincipalServiceName': CLOUDWATCH,
          },
        },
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'OnlyThisAccountsAlarmsPublish',
        effect: iam.Effect.DENY,
        principals: [new iam.ServicePrincipal(CLOUDWATCH)],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringNotEquals: { 'aws:SourceAccount': stack.account },
        },
      }),
    );
  }

  /**
   * Subscribing is how a message leaves the account: only the admins may add an endpoint, and
   * never over plain HTTP. The default names the account (its root), which IAM reads as "any
   * principal of this account that its own policies allow": the deny then keys on
   * `aws:PrincipalAccount`; named admins key on `aws:PrincipalArn`.
   */
  private restrictSubscribers(adminPrincipalArns: readonly string[]): void {
    const stack = Stack.of(this);
    const named = adminPrincipalArns.length > 0;
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AdminsSubscribe',
        principals: named
          ? adminPrincipalArns.map((arn) => new iam.ArnPrincipal(arn))
          : [new iam.AccountRootPrincipal()],
        actions: ['sns:Subscribe'],
        resources: [this.topic.topicArn],
        ...(named ? {} : { conditions: { StringEquals: { 'aws:PrincipalAccount': stack.account } } }),
      }),
    );
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NobodyElseSubscribes',
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sns:Subscribe'],
        resources: [this.topic.topicArn],
        conditions: named
          ? { ArnNotLike: { 'aws:PrincipalArn': [...adminPrincipalArns] } }
          : { StringNotEquals: { 'aws:PrincipalAccount': stack.account } },
      }),
    );
    // enforceSSL denies publishing over plain HTTP; subscribing too.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'SubscribeOverTlsOnly',
        effect: iam.Effect.DENY,
        principals: [new iam.StarPrincipal()],
        actions: ['sns:Subscribe'],
        resources: [this.topic.topicArn],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  }

  /**
   * CloudWatch alarms publish as the service, so the topic policy must let it in (only for alarms
   * of this account) and the key must let it encrypt. A key policy's `Resource: *` means "this key".
   */
  private allowCloudWatchAlarms(): void {
    const stack = Stack.of(this);
    const cloudwatch = new iam.ServicePrincipal(CLOUDWATCH);
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
