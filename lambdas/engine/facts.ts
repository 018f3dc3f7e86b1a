/**
 * What the adapters collect and the checks read. Everything here is plain data in the AWS APIs'
 * own shapes (SDK v3 types), grouped the way it is collected: one picture per VPC, one per
 * instance profile/role, one DHMC picture per run. Checks never call AWS; they read these.
 */
import type {
  DhcpOptions,
  Image,
  Instance,
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
import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type { ResolverRule } from '../aws/resolver-client.ts';
import type { Readout } from './readout.ts';

export type SsmStatus = 'NotRegistered' | 'ConnectionLost';

/** A running instance that Systems Manager does not manage. */
export interface Candidate {
  instance: Instance;
  ssmStatus: SsmStatus;
  /** The SSM entry of a ConnectionLost instance (agent version, last ping, platform). */
  information?: InstanceInformation;
}

/** An IAM policy document, already URL-decoded and parsed. */
export interface PolicyDocument {
  Version?: string;
  Statement: PolicyStatement | PolicyStatement[];
}
export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}

/** `iam:SimulatePrincipalPolicy` decisions, keyed by action name. */
export type SimulatedDecisions = Record<string, 'allowed' | 'implicitDeny' | 'explicitDeny'>;

export interface RolePicture {
  name: string;
  arn: string;
  trustPolicy: PolicyDocument;
  /** ARNs of the managed policies attached to the role. */
  attachedPolicyArns: string[];
  /**
   * The role's effective decisions for the actions a check cares about, from
   * `iam:SimulatePrincipalPolicy` across every layer (identity policies, explicit denies, the
   * permissions boundary, SCPs). The adapters ask unless every document of the role was read and
   * proves the grant with no organization layer (`lambdas/aws/role-documents.ts`): then it is
   * absent, as in facts built without asking, and the attached policy is the evidence (the verdict
   * a simulation would give). A failed simulation is a problem readout.
   */
  simulated?: Readout<SimulatedDecisions>;
  /** Per action, what the simulation said beyond the decision (only actions with something to say). */
  simulationDetails?: Record<string, SimulationDetail>;
}

/** The IAM layers a simulation reports on, as the evidence names them. */
export type IamLayer = 'identity policy' | 'permissions boundary' | 'service control policy';

export interface SimulationDetail {
  /**
   * Condition keys a statement needed and the request context did not carry
   * (`MissingContextValues`): the decision may differ when the agent's real call carries them.
   */
  missingContextValues?: string[];
  /** The layers that did not allow the action (for a decision other than `allowed`). */
  deniedBy?: IamLayer[];
}

export interface ProfilePicture {
  /** The ARN on the instance (`IamInstanceProfile.Arn`). */
  arn: string;
  name: string;
  /** false when IAM answered NoSuchEntity: the profile was deleted after being attached. */
  exists: boolean;
  /** The profile's role, `null` when the profile holds none. */
  role: Readout<RolePicture> | null;
}

/** Default Host Management Configuration, read once per run. */
export interface DhmcPicture {
  /** Value of `/ssm/managed-instance/default-ec2-instance-management-role`; `$None` = off. */
  settingValue: string;
  /** The configured role (`null`: IAM has no such role). Absent when the setting is `$None`. */
  role?: Readout<RolePicture | null>;
}

/** `enableDnsSupport` / `enableDnsHostnames`, from `DescribeVpcAttribute`. */
export interface VpcDnsAttributes {
  enableDnsSupport: boolean;
  /**
   * Absent when not read: it matters only to private DNS names (an SSM interface endpoint with
   * private DNS in the VPC, or a private hosted zone answering a service name), so a VPC with
   * neither is spared the call, and nothing may report the unread value as a problem.
   */
  enableDnsHostnames?: boolean;
}

/**
 * Everything about one VPC that the network checks need. Each part is read on its own, so a
 * denied `DescribeNetworkAcls` degrades only the ACL check.
 */
export interface NetworkPicture {
  vpc: Readout<Vpc>;
  /** Endpoint private DNS needs both on; without DNS support nothing resolves at all. */
  dnsAttributes: Readout<VpcDnsAttributes>;
  subnets: Readout<Subnet[]>;
  routeTables: Readout<RouteTable[]>;
  internetGateways: Readout<InternetGateway[]>;
  natGateways: Readout<NatGateway[]>;
  /** Interface endpoints of the VPC for ssm, ec2messages and ssmmessages. */
  endpoints: Readout<VpcEndpoint[]>;
  /** The network interfaces of those endpoints (their subnets and private addresses). */
  endpointInterfaces: Readout<NetworkInterface[]>;
  /** The security groups of the candidates in this VPC and of the endpoints. */
  securityGroups: Readout<SecurityGroup[]>;
  networkAcls: Readout<NetworkAcl[]>;
  /** The VPC's DHCP options set; `undefined` when the VPC uses none (`default` is a set too). */
  dhcpOptions: Readout<DhcpOptions | undefined>;
  /**
   * Who answers the SSM service names in this VPC besides the endpoints' own private DNS: its
   * private hosted zones and Resolver rules (the centralized-endpoint pattern). Absent in
   * pictures built without reading them (other VPCs' pictures, hand-built facts).
   */
  privateDns?: Readout<PrivateDnsPicture>;
}

/** A private hosted zone associated with the VPC whose name covers an SSM service name. */
export interface PrivateZone {
  id: string;
  name: string;
  /** The account that owns the zone (a zone may be associated from another account). */
  owner?: string;
  /** The zone's records for the service names; a problem when they could not be read. */
  records: Readout<ResourceRecordSet[]>;
}

/** Where a private answer points, as far as this account can see it. */
export interface PrivateDnsTarget {
  /** The interface endpoint id taken from an alias / CNAME to its DNS name, or found behind an address. */
  endpointId?: string;
  /** An address the zone answers with (A record). */
  address?: string;
  /**
   * The picture of the VPC holding the endpoint (its security groups, interface, ACLs, CIDR),
   * when the endpoint is in this account; `null` when this account does not have it.
   */
  network: NetworkPicture | null;
  /** The read that would have told where the target is, when it failed (then `network` is null). */
  unreadable?: Readout<never>;
}

export interface PrivateDnsPicture {
  zones: PrivateZone[];
  /** Resolver rules associated with the VPC (FORWARD / SYSTEM) whose domain covers a service name. */
  rules: ResolverRule[];
  /** What the zones' answers point at, keyed by the endpoint id or address of the answer. */
  targets: Record<string, PrivateDnsTarget>;
}

/** Everything one candidate's checks may read. Built by the adapters, deduplicated per batch. */
export interface InstanceFacts {
  region: string;
  partition: string;
  accountId: string;
  candidate: Candidate;
  /** `undefined` status means EC2 reported none (treated as ok/ok, like the console). */
  status: Readout<InstanceStatus | undefined>;
  /** `undefined` image means it is not visible to this account (deregistered or private). */
  image: Readout<Image | undefined>;
  network: NetworkPicture;
  /** `null` when the instance has no instance profile attached. */
  profile: Readout<ProfilePicture> | null;
  dhmc: Readout<DhmcPicture>;
  /**
   * Sum of CloudWatch `MetadataNoToken` over the look-back window. Absent when it was not
   * needed (IMDSv2 already required, or the endpoint disabled).
   */
  metadataNoToken?: Readout<number>;
  /** Decoded `GetConsoleOutput` text (`undefined`: none available). Absent when not read. */
  consoleOutput?: Readout<string | undefined>;
  /**
   * How fresh that output is: `latest` (Nitro, `Latest: true`) or the buffer saved at the last
   * boot, which may be days old; `timestamp` is when EC2 says it was last updated.
   */
  consoleBuffer?: { latest: boolean; timestamp?: string };
}
