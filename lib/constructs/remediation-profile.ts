/**
 * The instance profile that the `attach-instance-profile` fix associates with an instance that has
 * none: a role trusted by EC2 carrying exactly AmazonSSMManagedInstanceCore. The name starts with
 * `ssm-doctor-` (the CLI's printed policy expects that) and carries the region, because IAM is
 * global and the stack is deployed once per region.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { CORE_POLICY_NAME } from '../../lambdas/engine/remediation/fixes.ts';

export class RemediationProfile extends Construct {
  readonly role: iam.Role;
  readonly instanceProfile: iam.InstanceProfile;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const name = `ssm-doctor-instance-${Aws.REGION}`;
    this.role = new iam.Role(this, 'Role', {
      roleName: name,
      description: 'Role of the instance profile ssm-doctor attaches to instances that have none',
      assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(CORE_POLICY_NAME)],
    });
    this.instanceProfile = new iam.InstanceProfile(this, 'InstanceProfile', {
      instanceProfileName: name,
      role: this.role,
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${CORE_POLICY_NAME}]`,
      reason:
        'AmazonSSMManagedInstanceCore is the point of this role: it is the AWS-maintained minimum the SSM Agent needs, kept current by AWS.',
    });
  }
}
