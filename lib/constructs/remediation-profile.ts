/**
 * The instance profile that the `attach-instance-profile` fix associates with an instance that has
 * none: a role trusted by EC2 carrying only what the SSM Agent needs,
 * AmazonSSMManagedEC2InstanceDefaultPolicy (what Default Host Management Configuration gives every
 * instance). Not AmazonSSMManagedInstanceCore: that one also allows `ssm:GetParameter(s)` on `*`,
 * and this profile goes to any running instance without one, so anyone allowed only
 * `ec2:RunInstances` would get every parameter the account holds. The name starts with
 * `ssm-doctor-` (the CLI's printed policy expects that) and carries the region, because IAM is
 * global and the stack is deployed once per region.
 */
import { Aws, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { DHMC_POLICY } from '../../lambdas/engine/checks/credentials/grants.ts';

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
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName(DHMC_POLICY)],
    });
    this.instanceProfile = new iam.InstanceProfile(this, 'InstanceProfile', {
      instanceProfileName: name,
      role: this.role,
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${DHMC_POLICY}]`,
      reason:
        'AmazonSSMManagedEC2InstanceDefaultPolicy is the AWS-maintained minimum the SSM Agent needs (registration and its message channels, no parameter reads), kept current by AWS.',
    });
  }
}
