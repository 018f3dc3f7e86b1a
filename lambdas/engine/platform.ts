/** Which OS an instance runs, from what EC2 and SSM say about it (no call of its own). */
import type { Candidate } from './facts.ts';

export type Platform = 'linux' | 'windows' | 'macos' | 'unknown';

export function platformOf(candidate: Candidate): Platform {
  const { instance, information } = candidate;
  const ssmPlatform = information?.PlatformType;
  if (ssmPlatform === 'Windows') return 'windows';
  if (ssmPlatform === 'MacOS') return 'macos';
  if (ssmPlatform === 'Linux') return 'linux';
  // The API returns "windows" although the SDK's enum says "Windows": accept both.
  if (
    String(instance.Platform ?? '').toLowerCase() === 'windows' ||
    /windows/i.test(instance.PlatformDetails ?? '')
  )
    return 'windows';
  if (instance.InstanceType?.startsWith('mac')) return 'macos';
  if (instance.PlatformDetails && /linux|unix|red hat|suse|ubuntu/i.test(instance.PlatformDetails))
    return 'linux';
  return 'unknown';
}

/** The ephemeral port range the OS answers from, for network ACL return traffic. */
export function ephemeralPorts(platform: Platform): { from: number; to: number } {
  switch (platform) {
    case 'linux':
      return { from: 32768, to: 60999 };
    case 'windows':
      return { from: 49152, to: 65535 };
    default:
      // macOS uses 49152–65535 too, but an unknown OS could use anything above the well-known ports.
      return platform === 'macos' ? { from: 49152, to: 65535 } : { from: 1024, to: 65535 };
  }
}

/** The Name tag, or null. */
export function nameOf(candidate: Candidate): string | null {
  return candidate.instance.Tags?.find((tag) => tag.Key === 'Name')?.Value ?? null;
}
