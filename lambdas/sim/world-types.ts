/**
 * TypeScript types of world objects: the SDK's own types as JSON holds them (timestamps as ISO
 * strings), with the fields the schema requires made required, plus our extensions.
 */
import type {
  DhcpOptions,
  Image,
  Instance,
  InstanceState,
  InstanceStateName,
  InstanceStatus,
  InternetGateway,
  NatGateway,
  NetworkAcl,
  NetworkInterface,
  RouteTable,
  SecurityGroup,
  Subnet,
  Vpc,
  VpcEndpoint,
} from '@aws-sdk/client-ec2';
import type { AttachedPolicy, InstanceProfile, Policy, Role } from '@aws-sdk/client-iam';
import type { InstanceInformation, Parameter, ServiceSetting } from '@aws-sdk/client-ssm';
import type { WorldPolicyDocument } from './policy-document.ts';

/** An SDK type as JSON holds it: timestamps are ISO 8601 strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;
/** `T` as JSON, with the fields the schema requires (or types differently) replaced by `R`. */
export type With<T, R> = Omit<Wire<T>, keyof R> & R;

export type WorldInstance = With<
  Instance,
  {
    InstanceId: string;
    State: With<InstanceState, { Name: InstanceStateName }>;
    LaunchTime: string;
    ReservationId?: string;
  }
>;
export type WorldVpc = With<Vpc, { VpcId: string; EnableDnsSupport?: boolean; EnableDnsHostnames?: boolean }>;
export type WorldRole = With<
  Role,
  {
    RoleName: string;
    Arn?: string;
    AssumeRolePolicyDocument: WorldPolicyDocument;
    AttachedPolicies?: With<AttachedPolicy, { PolicyArn: string }>[];
    RolePolicies?: { PolicyName: string; PolicyDocument: WorldPolicyDocument }[];
  }
>;
export type WorldInstanceProfile = With<
  InstanceProfile,
  { InstanceProfileName: string; Arn?: string; Roles?: (Partial<Wire<Role>> & { RoleName: string })[] }
>;
export type WorldPolicy = With<Policy, { Arn: string; Document: WorldPolicyDocument }>;
export type WorldParameter = With<
  Parameter,
  { Name: string; Value: string; Type: 'String' | 'StringList' | 'SecureString' }
>;
export type WorldInstanceStatus = With<InstanceStatus, { InstanceId: string }>;
export type WorldImage = With<Image, { ImageId: string }>;
export type WorldSubnet = With<Subnet, { SubnetId: string; VpcId: string }>;
export type WorldRouteTable = With<RouteTable, { RouteTableId: string; VpcId: string }>;
export type WorldInternetGateway = With<InternetGateway, { InternetGatewayId: string }>;
export type WorldNatGateway = With<NatGateway, { NatGatewayId: string; VpcId: string }>;
export type WorldVpcEndpoint = With<
  VpcEndpoint,
  { VpcEndpointId: string; VpcId: string; ServiceName: string; State: string }
>;
export type WorldNetworkInterface = With<NetworkInterface, { NetworkInterfaceId: string }>;
export type WorldSecurityGroup = With<SecurityGroup, { GroupId: string }>;
export type WorldNetworkAcl = With<NetworkAcl, { NetworkAclId: string; VpcId: string }>;
export type WorldDhcpOptions = With<DhcpOptions, { DhcpOptionsId: string }>;
export type WorldInstanceInformation = With<InstanceInformation, { InstanceId: string }>;
export type WorldServiceSetting = With<ServiceSetting, { SettingId: string; SettingValue: string }>;
