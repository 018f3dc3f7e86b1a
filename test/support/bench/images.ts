/** The AMIs of a generated account: public Amazon, Canonical and Red Hat images, and a golden one. */
import type { World } from '../../../lambdas/sim/index.ts';

type WorldImage = World['ec2']['Images'][number];

export interface ImageRef {
  id: string;
  architecture: 'x86_64' | 'arm64';
  windows: boolean;
  platformDetails: string;
}

export interface ImageSet {
  al2023: ImageRef;
  al2023Arm: ImageRef;
  al2: ImageRef;
  ubuntu: ImageRef;
  windows: ImageRef;
  rhel: ImageRef;
  golden: ImageRef;
}

interface Spec {
  id: string;
  name: string;
  owner: string;
  alias?: 'amazon';
  description: string;
  architecture: 'x86_64' | 'arm64';
  windows?: boolean;
  platformDetails: string;
  created: string;
}

const SPECS: Record<keyof ImageSet, Omit<Spec, 'owner'> & { owner?: string }> = {
  al2023: {
    id: 'ami-0f3a1c2b4d5e6f708',
    name: 'al2023-ami-2023.9.20261020.0-kernel-6.1-x86_64',
    owner: '137112412989',
    alias: 'amazon',
    description: 'Amazon Linux 2023 AMI 2023.9.20261020.0 x86_64 HVM kernel-6.1',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    created: '2026-10-21T19:44:06.000Z',
  },
  al2023Arm: {
    id: 'ami-0b7d2e9c1a3f45e61',
    name: 'al2023-ami-2023.9.20261020.0-kernel-6.1-arm64',
    owner: '137112412989',
    alias: 'amazon',
    description: 'Amazon Linux 2023 AMI 2023.9.20261020.0 arm64 HVM kernel-6.1',
    architecture: 'arm64',
    platformDetails: 'Linux/UNIX',
    created: '2026-10-21T19:44:11.000Z',
  },
  al2: {
    id: 'ami-0c5e1f7a9b3d2e4f6',
    name: 'amzn2-ami-kernel-5.10-hvm-2.0.20220316.0-x86_64-gp2',
    owner: '137112412989',
    alias: 'amazon',
    description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20220316.0 x86_64 HVM gp2',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    created: '2022-03-17T21:19:37.000Z',
  },
  ubuntu: {
    id: 'ami-0d2e4f6a8b1c3e5f7',
    name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20261015',
    owner: '099720109477',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    created: '2026-10-15T08:03:51.000Z',
  },
  windows: {
    id: 'ami-0e9c8b7a6f5d4c3b2',
    name: 'Windows_Server-2022-English-Full-Base-2026.10.15',
    owner: '801119661308',
    alias: 'amazon',
    description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    architecture: 'x86_64',
    windows: true,
    platformDetails: 'Windows',
    created: '2026-10-15T04:51:19.000Z',
  },
  rhel: {
    id: 'ami-07a6b5c4d3e2f1a09',
    name: 'RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3',
    owner: '309956199498',
    description: 'Provided by Red Hat, Inc.',
    architecture: 'x86_64',
    platformDetails: 'Red Hat Enterprise Linux',
    created: '2024-06-05T20:21:09.000Z',
  },
  golden: {
    id: 'ami-0123456789abcdef0',
    name: 'acme-golden-al2023-2026.10.01',
    description: 'ACME hardened Amazon Linux 2023 base (CIS level 1)',
    architecture: 'x86_64',
    platformDetails: 'Linux/UNIX',
    created: '2026-10-01T03:12:44.000Z',
  },
};

export function buildImages(world: World): ImageSet {
  const refs = {} as ImageSet;
  for (const [key, spec] of Object.entries(SPECS) as [keyof ImageSet, (typeof SPECS)[keyof ImageSet]][]) {
    const owner = spec.owner ?? world.accountId;
    const image: WorldImage = {
      ImageId: spec.id,
      ImageLocation: `${spec.alias ?? owner}/${spec.name}`,
      State: 'available',
      OwnerId: owner,
      CreationDate: spec.created,
      Public: spec.owner !== undefined,
      Architecture: spec.architecture,
      ImageType: 'machine',
      ...(spec.windows ? { Platform: 'windows' as WorldImage['Platform'] } : {}),
      PlatformDetails: spec.platformDetails,
      UsageOperation: spec.windows
        ? 'RunInstances:0002'
        : spec.platformDetails.startsWith('Red Hat')
          ? 'RunInstances:0010'
          : 'RunInstances',
      ...(spec.alias ? { ImageOwnerAlias: spec.alias } : {}),
      Name: spec.name,
      Description: spec.description,
      RootDeviceType: 'ebs',
      RootDeviceName: spec.windows || spec.owner === '099720109477' ? '/dev/sda1' : '/dev/xvda',
      VirtualizationType: 'hvm',
      Hypervisor: 'xen',
      EnaSupport: true,
    };
    world.ec2.Images.push(image);
    refs[key] = {
      id: spec.id,
      architecture: spec.architecture,
      windows: spec.windows ?? false,
      platformDetails: spec.platformDetails,
    };
  }
  return refs;
}
