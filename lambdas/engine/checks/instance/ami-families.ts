/**
 * Which AMIs ship the SSM Agent, after AWS's list of AMIs with the agent preinstalled. One row per
 * family, first match wins, so specific rows (Amazon Linux *minimal*, which leaves the agent out)
 * come before general ones. To support a new family, add a line.
 */
import type { Image } from '@aws-sdk/client-ec2';

/** How the agent is packaged for the family, to pick install commands. */
export type Packaging = 'rpm' | 'deb' | 'snap' | 'windows' | 'macos';

export interface AgentShipping {
  shipping: 'ships' | 'does-not-ship' | 'unknown';
  /** The family recognised, or why none was. */
  family: string;
  packaging?: Packaging;
}

interface ImageView {
  name: string;
  text: string;
  ownerId: string;
  amazon: boolean;
  windows: boolean;
  platformDetails: string;
}

/**
 * Amazon publishes under the `amazon` alias; these ids are the accounts behind it that some
 * images report without the alias: Amazon Linux, Windows, ECS-optimized, EKS-optimized, macOS.
 */
const AMAZON_OWNER_IDS = new Set([
  '137112412989',
  '801119661308',
  '591542846629',
  '602401143452',
  '628277914472',
]);

const amazonNamed = (pattern: RegExp) => (i: ImageView) => i.amazon && pattern.test(i.name);
const ownedBy =
  (ids: string[], name?: RegExp) =>
  (i: ImageView): boolean =>
    ids.includes(i.ownerId) || (!i.amazon && name !== undefined && name.test(i.name));

type Row = [
  family: string,
  ships: boolean,
  packaging: Packaging | undefined,
  matches: (i: ImageView) => boolean,
];

// biome-ignore format: one family per line reads as a table
const FAMILIES: readonly Row[] = [
  ['Amazon Linux minimal', false, 'rpm', amazonNamed(/^(al2023|amzn2?)-ami-minimal-/)],
  ['Amazon Linux 2023', true, 'rpm', amazonNamed(/^al2023-ami-/)],
  ['Amazon Linux 2', true, 'rpm', amazonNamed(/^amzn2-ami-/)],
  ['Amazon Linux AMI', true, 'rpm', amazonNamed(/^amzn-ami-/)],
  ['EKS-optimized Amazon Linux', true, 'rpm', amazonNamed(/^amazon-eks-/)],
  ['Bottlerocket', true, undefined, amazonNamed(/^bottlerocket-/)],
  ['macOS', true, 'macos', amazonNamed(/^amzn-ec2-macos-/)],
  ['Windows Server', true, 'windows', (i) => i.amazon && i.windows],
  ['Amazon-built on Amazon Linux', true, 'rpm', (i) => i.amazon && /Amazon Linux/i.test(i.text)],
  ['Ubuntu (Canonical)', true, 'snap', ownedBy(['099720109477', '837727238323', '513442679011'])],
  ['SUSE Linux Enterprise Server', true, 'rpm', ownedBy(['013907871322'])],
  ['Red Hat Enterprise Linux', false, 'rpm', (i) => ownedBy(['309956199498'], /^rhel[-_ ]?\d/i)(i) || /^Red Hat/i.test(i.platformDetails)],
  ['CentOS / Fedora', false, 'rpm', ownedBy(['125523088429'], /^(centos|fedora)/i)],
  ['Rocky Linux', false, 'rpm', ownedBy(['792107900819'], /^rocky-/i)],
  ['AlmaLinux', false, 'rpm', ownedBy(['764336703387'], /^almalinux/i)],
  ['Debian', false, 'deb', ownedBy(['136693071363', '379101102735'], /^debian-\d/i)],
  ['Oracle Linux', false, 'rpm', ownedBy(['131827586825'], /^OL\d/)],
];

function view(image: Image): ImageView {
  const name = image.Name ?? '';
  const platformDetails = image.PlatformDetails ?? '';
  return {
    name,
    text: `${name} ${image.Description ?? ''}`,
    ownerId: image.OwnerId ?? '',
    amazon: image.ImageOwnerAlias === 'amazon' || AMAZON_OWNER_IDS.has(image.OwnerId ?? ''),
    windows: /^windows/i.test(image.Platform ?? '') || /^windows/i.test(platformDetails),
    platformDetails,
  };
}

/** Does this AMI's family ship the agent? Pure: reads only the image record. */
export function agentShipping(image: Image): AgentShipping {
  const subject = view(image);
  // A private image is the account's own build: its base says nothing about whether the agent was
  // baked in, so it is never blamed (the issue: "a private or invisible AMI is unknown").
  if (image.Public === false && !subject.amazon) {
    return {
      shipping: 'unknown',
      family: 'a private (custom) AMI',
      ...(subject.windows ? { packaging: 'windows' as const } : {}),
    };
  }
  const row = FAMILIES.find(([, , , matches]) => matches(subject));
  if (!row) {
    const family = subject.amazon
      ? 'an Amazon-published AMI of an unrecognised family'
      : 'a custom or third-party AMI';
    return { shipping: 'unknown', family, ...(subject.windows ? { packaging: 'windows' as const } : {}) };
  }
  const [family, ships, packaging] = row;
  return { shipping: ships ? 'ships' : 'does-not-ship', family, ...(packaging ? { packaging } : {}) };
}
