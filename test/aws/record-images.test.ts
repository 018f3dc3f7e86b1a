/**
 * EC2 leaves deprecated AMIs out of DescribeImages unless asked for them (only the owner sees
 * them regardless). Instances keep running long after their public AMI is deprecated: a recorded
 * world must hold those images, as the live scan reads them, or the offline scan of the recording
 * reports them as not visible.
 */
import { DescribeImagesCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetServiceSettingCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { readImages } from '../../lambdas/aws/instance.ts';
import { recordWorld } from '../../lambdas/aws/record.ts';

const DEPRECATED = {
  ImageId: 'ami-0deadbeef0000000a',
  Name: 'amzn2-ami-hvm-2.0.20230101.0-x86_64-gp2',
  OwnerId: '137112412989',
  ImageOwnerAlias: 'amazon',
  DeprecationTime: '2025-01-01T00:00:00.000Z',
};

/** EC2's behaviour: deprecated images of other owners only with IncludeDeprecated. */
function ec2WithDeprecatedImage(ec2: EC2Client) {
  const mock = mockClient(ec2);
  mock.onAnyCommand().resolves({});
  mock.on(DescribeInstancesCommand).resolves({
    Reservations: [
      {
        Instances: [
          { InstanceId: 'i-0000000000000000a', ImageId: DEPRECATED.ImageId, State: { Name: 'stopped' } },
        ],
      },
    ],
  });
  mock.on(DescribeImagesCommand).resolves({ Images: [] });
  mock.on(DescribeImagesCommand, { IncludeDeprecated: true }).resolves({ Images: [DEPRECATED] });
  return mock;
}

describe('recording the AMIs of the instances', () => {
  it('keeps a deprecated AMI, as the live scan sees it', async () => {
    const clients = createClients({ region: 'eu-west-1', maxAttempts: 1 });
    ec2WithDeprecatedImage(clients.ec2);
    mockClient(clients.ssm as SSMClient)
      .onAnyCommand()
      .resolves({})
      .on(GetServiceSettingCommand)
      .resolves({ ServiceSetting: { SettingValue: '$None' } });
    mockClient(clients.iam as IAMClient)
      .onAnyCommand()
      .resolves({});
    mockClient(clients.cloudwatch).onAnyCommand().resolves({});
    // Route 53 and the small Resolver client: no zones, no rules (never the network).
    mockClient(clients.route53).onAnyCommand().resolves({});
    mockClient(clients.route53resolver as never)
      .onAnyCommand()
      .resolves({});

    const live = await readImages(clients.ec2, [DEPRECATED.ImageId]);
    const world = await recordWorld(clients, { accountId: '111122223333', partition: 'aws' }, new Date());

    expect(live.get(DEPRECATED.ImageId)).toEqual({ ok: true, value: DEPRECATED });
    expect(world.ec2.Images).toEqual([DEPRECATED]);
  });
});
