/**
 * Builds one candidate's InstanceFacts from a few choices, with healthy defaults everywhere else:
 * a NotRegistered Amazon Linux 2023 instance, IMDSv2 required, a profile whose role trusts EC2 and
 * has AmazonSSMManagedInstanceCore, DHMC off. Tests change only what they are about.
 */
import type { Image, Instance, InstanceStatus } from '@aws-sdk/client-ec2';
import type { InstanceInformation } from '@aws-sdk/client-ssm';
import type {
  DhmcPicture,
  InstanceFacts,
  NetworkPicture,
  PolicyDocument,
  ProfilePicture,
  RolePicture,
  SimulatedDecisions,
  SsmStatus,
} from '../../../lambdas/engine/facts.ts';
import { type Readout, readFailed, readOk } from '../../../lambdas/engine/readout.ts';

export const INSTANCE_ID = 'i-0123456789abcdef0';
export const policy = (name: string) => `arn:aws:iam::aws:policy/${name}`;

export const denied = (operation: string) =>
  readFailed({ operation, code: 'AccessDenied', message: `not authorized to perform ${operation}` });

export function trustPolicy(
  service: string | string[],
  action: string | string[] = 'sts:AssumeRole',
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: action }],
  };
}

export function role(
  options: {
    name?: string;
    trust?: PolicyDocument;
    attached?: string[];
    simulated?: Readout<SimulatedDecisions>;
  } = {},
): RolePicture {
  const name = options.name ?? 'app-role';
  return {
    name,
    arn: `arn:aws:iam::111122223333:role/${name}`,
    trustPolicy: options.trust ?? trustPolicy('ec2.amazonaws.com'),
    attachedPolicyArns: options.attached ?? [policy('AmazonSSMManagedInstanceCore')],
    ...(options.simulated ? { simulated: options.simulated } : {}),
  };
}

/** Every core action allowed, except those given a different decision. */
export function decisions(overrides: SimulatedDecisions = {}): Readout<SimulatedDecisions> {
  const all: SimulatedDecisions = {
    'ssm:UpdateInstanceInformation': 'allowed',
    'ssmmessages:CreateControlChannel': 'allowed',
    'ssmmessages:CreateDataChannel': 'allowed',
    'ssmmessages:OpenControlChannel': 'allowed',
    'ssmmessages:OpenDataChannel': 'allowed',
    'ec2messages:GetMessages': 'allowed',
  };
  return readOk({ ...all, ...overrides });
}

export function profile(
  roleReadout: Readout<RolePicture> | RolePicture | null,
  exists = true,
): Readout<ProfilePicture> {
  const wrapped = roleReadout === null || 'ok' in roleReadout ? roleReadout : readOk(roleReadout);
  return readOk({
    arn: 'arn:aws:iam::111122223333:instance-profile/app-profile',
    name: 'app-profile',
    exists,
    role: exists ? wrapped : null,
  });
}

export const dhmcOff: Readout<DhmcPicture> = readOk({ settingValue: '$None' });

export const DHMC_ROLE = 'AWSSystemsManagerDefaultEC2InstanceManagementRole';
export function dhmcRole(
  options: { trust?: PolicyDocument; attached?: string[]; simulated?: Readout<SimulatedDecisions> } = {},
) {
  return role({
    name: DHMC_ROLE,
    trust: options.trust ?? trustPolicy('ssm.amazonaws.com'),
    attached: options.attached ?? [policy('AmazonSSMManagedEC2InstanceDefaultPolicy')],
    ...(options.simulated ? { simulated: options.simulated } : {}),
  });
}

export function dhmcOn(
  roleReadout: Readout<RolePicture | null> | RolePicture | null = dhmcRole(),
  settingValue = DHMC_ROLE,
) {
  const wrapped = roleReadout !== null && 'ok' in roleReadout ? roleReadout : readOk(roleReadout);
  return readOk<DhmcPicture>({ settingValue, role: wrapped });
}

export const AL2023: Image = {
  ImageId: 'ami-0aaaaaaaaaaaaaaaa',
  Name: 'al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64',
  OwnerId: '137112412989',
  ImageOwnerAlias: 'amazon',
  PlatformDetails: 'Linux/UNIX',
};

const network: NetworkPicture = {
  vpc: readOk({ VpcId: 'vpc-1' }),
  dnsAttributes: readOk({ enableDnsSupport: true, enableDnsHostnames: true }),
  subnets: readOk([]),
  routeTables: readOk([]),
  internetGateways: readOk([]),
  natGateways: readOk([]),
  endpoints: readOk([]),
  endpointInterfaces: readOk([]),
  securityGroups: readOk([]),
  networkAcls: readOk([]),
  dhcpOptions: readOk(undefined),
};

export interface FactsOptions {
  instance?: Partial<Instance>;
  ssmStatus?: SsmStatus;
  information?: InstanceInformation;
  profile?: Readout<ProfilePicture> | null;
  dhmc?: Readout<DhmcPicture>;
  image?: Readout<Image | undefined>;
  status?: Readout<InstanceStatus | undefined>;
  consoleOutput?: Readout<string | undefined>;
}

export function buildFacts(options: FactsOptions = {}): InstanceFacts {
  const instance: Instance = {
    InstanceId: INSTANCE_ID,
    ImageId: AL2023.ImageId,
    Architecture: 'x86_64',
    PlatformDetails: 'Linux/UNIX',
    MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'required' },
    ...options.instance,
  };
  const ssmStatus = options.ssmStatus ?? (options.information ? 'ConnectionLost' : 'NotRegistered');
  return {
    region: 'eu-west-1',
    partition: 'aws',
    accountId: '111122223333',
    candidate: { instance, ssmStatus, ...(options.information ? { information: options.information } : {}) },
    status: options.status ?? readOk(undefined),
    image: options.image ?? readOk(AL2023),
    network,
    profile: options.profile === undefined ? profile(role()) : options.profile,
    dhmc: options.dhmc ?? dhmcOff,
    ...(options.consoleOutput ? { consoleOutput: options.consoleOutput } : {}),
  };
}
