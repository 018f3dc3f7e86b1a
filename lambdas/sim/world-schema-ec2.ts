/** The `ec2` section of a world: EC2 objects in DescribeX shapes, plus console output text. */
import { z } from 'zod';
import { awsObject, expected, id, isoDate, list, profileArn, tags } from './world-fields.ts';
import type {
  WorldDhcpOptions,
  WorldImage,
  WorldInstance,
  WorldInstanceStatus,
  WorldInternetGateway,
  WorldNatGateway,
  WorldNetworkAcl,
  WorldNetworkInterface,
  WorldRouteTable,
  WorldSecurityGroup,
  WorldSubnet,
  WorldVpc,
  WorldVpcEndpoint,
} from './world-types.ts';

const instance = awsObject<WorldInstance>({
  InstanceId: id('i-', 'an instance id'),
  State: z.looseObject({
    Name: z.enum(['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']),
  }),
  LaunchTime: isoDate,
  ReservationId: id('r-', 'a reservation id').optional(),
  VpcId: id('vpc-', 'a VPC id').optional(),
  SubnetId: id('subnet-', 'a subnet id').optional(),
  ImageId: id('ami-', 'an AMI id').optional(),
  IamInstanceProfile: z.looseObject({ Arn: profileArn }).optional(),
  Tags: tags.optional(),
  SecurityGroups: z.array(z.looseObject({ GroupId: id('sg-', 'a security group id') })).optional(),
  MetadataOptions: z
    .looseObject({
      HttpTokens: z.enum(['optional', 'required']).optional(),
      HttpEndpoint: z.enum(['enabled', 'disabled']).optional(),
    })
    .optional(),
});

export const ec2Section = z.strictObject({
  Instances: list(instance),
  InstanceStatuses: list(awsObject<WorldInstanceStatus>({ InstanceId: id('i-', 'an instance id') })),
  Images: list(awsObject<WorldImage>({ ImageId: id('ami-', 'an AMI id') })),
  Vpcs: list(
    awsObject<WorldVpc>({
      VpcId: id('vpc-', 'a VPC id'),
      EnableDnsSupport: z.boolean().optional(),
      EnableDnsHostnames: z.boolean().optional(),
      DhcpOptionsId: z
        .union([z.literal('default'), id('dopt-', 'a DHCP options id or "default"')])
        .optional(),
    }),
  ),
  Subnets: list(
    awsObject<WorldSubnet>({
      SubnetId: id('subnet-', 'a subnet id'),
      VpcId: id('vpc-', 'a VPC id'),
    }),
  ),
  RouteTables: list(
    awsObject<WorldRouteTable>({
      RouteTableId: id('rtb-', 'a route table id'),
      VpcId: id('vpc-', 'a VPC id'),
      Associations: z
        .array(
          z.looseObject({ Main: z.boolean().optional(), SubnetId: id('subnet-', 'a subnet id').optional() }),
        )
        .optional(),
    }),
  ),
  InternetGateways: list(
    awsObject<WorldInternetGateway>({
      InternetGatewayId: id('igw-', 'an internet gateway id'),
      Attachments: z.array(z.looseObject({ VpcId: id('vpc-', 'a VPC id') })).optional(),
    }),
  ),
  NatGateways: list(
    awsObject<WorldNatGateway>({
      NatGatewayId: id('nat-', 'a NAT gateway id'),
      VpcId: id('vpc-', 'a VPC id'),
      // A regional NAT gateway (AvailabilityMode regional) lives in no subnet; it names a RouteTableId.
      SubnetId: id('subnet-', 'a subnet id').optional(),
      State: z.enum(['pending', 'failed', 'available', 'deleting', 'deleted']),
    }),
  ),
  VpcEndpoints: list(
    awsObject<WorldVpcEndpoint>({
      VpcEndpointId: id('vpce-', 'a VPC endpoint id'),
      VpcId: id('vpc-', 'a VPC id'),
      ServiceName: z.string(expected('a service name such as com.amazonaws.eu-west-1.ssm')),
      VpcEndpointType: z.enum(['Interface', 'Gateway', 'GatewayLoadBalancer', 'Resource', 'ServiceNetwork']),
      // The API answers lowercase (`available`); the SDK's enum spells it `Available`.
      State: z
        .string()
        .regex(/^(pendingAcceptance|pending|available|deleting|deleted|rejected|failed|expired|partial)$/i, {
          error:
            'expected a VPC endpoint state (available, pending, pendingAcceptance, deleting, deleted, rejected, failed, expired)',
        }),
    }),
  ),
  NetworkInterfaces: list(
    awsObject<WorldNetworkInterface>({
      NetworkInterfaceId: id('eni-', 'a network interface id'),
    }),
  ),
  SecurityGroups: list(awsObject<WorldSecurityGroup>({ GroupId: id('sg-', 'a security group id') })),
  NetworkAcls: list(
    awsObject<WorldNetworkAcl>({
      NetworkAclId: id('acl-', 'a network ACL id'),
      VpcId: id('vpc-', 'a VPC id'),
    }),
  ),
  DhcpOptions: list(
    awsObject<WorldDhcpOptions>({
      DhcpOptionsId: id('dopt-', 'a DHCP options id'),
    }),
  ),
  ConsoleOutput: z
    .record(id('i-', 'an instance id'), z.string(expected('the console output text')))
    .default({}),
});
