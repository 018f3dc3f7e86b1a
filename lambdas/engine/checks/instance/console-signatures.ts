/**
 * Lines in the boot console that explain why an agent never checks in. Data, not code: add a row
 * to recognise a new failure. Each row says what it means for the person reading the finding, and
 * the cause it proves when it is one (at least what Systems Manager's own "Diagnose and
 * remediate" reads there); the others are clues (`warn`).
 */
import type { CauseCode } from '../../causes.ts';

export interface ConsoleSignature {
  id: string;
  cause?: CauseCode;
  pattern: RegExp;
  /** What the match means, for the summary. */
  meaning: string;
  /** What to do about it. */
  nextStep: string;
}

export const CONSOLE_SIGNATURES: readonly ConsoleSignature[] = [
  {
    id: 'kernel-panic',
    cause: 'INSTANCE_BOOT_FAILED',
    pattern: /Kernel panic|VFS: Unable to mount root fs/i,
    meaning: 'the kernel panicked during boot',
    nextStep:
      'The OS does not boot: attach the root volume to a rescue instance and fix the kernel/initramfs or fstab, or restore from a snapshot.',
  },
  {
    id: 'emergency-mode',
    cause: 'INSTANCE_BOOT_FAILED',
    pattern: /emergency mode|Dependency failed for|Give root password for maintenance|fsck failed/i,
    meaning: 'the OS stopped in emergency mode (often a bad /etc/fstab entry or a missing volume)',
    nextStep:
      'Use the EC2 serial console, or attach the root volume to a rescue instance, and fix /etc/fstab (add nofail to non-root volumes).',
  },
  {
    id: 'disk-full',
    cause: 'DISK_FULL',
    pattern: /No space left on device/i,
    meaning: 'a disk is full, which stops the agent from writing its state and logs',
    nextStep:
      'Free space on the root volume or grow it (aws ec2 modify-volume, then growpart and resize the file system).',
  },
  {
    id: 'filesystem-error',
    cause: 'INSTANCE_BOOT_FAILED',
    // Not the empty emulated floppy (fd0) or CD-ROM (sr0) drive that Xen-based instances often report at boot.
    pattern: /EXT4-fs error|XFS \(.*\): (Corruption|Internal error)|I\/O error, dev (?!fd\d|sr\d)/i,
    meaning: 'the file system or disk reports errors',
    nextStep:
      'Check the volume: run fsck/xfs_repair from a rescue instance, or restore the volume from a snapshot.',
  },
  {
    id: 'out-of-memory',
    pattern: /Out of memory: Kill(ed)? process/i,
    meaning: 'the kernel is killing processes for lack of memory',
    nextStep: 'Give the instance more memory (a larger instance type) or find the process exhausting it.',
  },
  {
    id: 'agent-failed',
    cause: 'AGENT_NOT_RUNNING',
    // A clean exit (status=0/SUCCESS, e.g. while the agent updates itself) is not a failure.
    pattern:
      /Failed to start amazon-ssm-agent|amazon-ssm-agent(\.service)?:? (?!.*status=0\/SUCCESS).*(fail|error|exited)/i,
    meaning: 'the SSM Agent service failed to start',
    nextStep:
      'On the instance: sudo systemctl status amazon-ssm-agent and read /var/log/amazon/ssm/errors.log.',
  },
  {
    id: 'windows-agent-failed',
    cause: 'AGENT_NOT_RUNNING',
    pattern: /AmazonSSMAgent.*\b(fail|error|stopped|terminated)/i,
    meaning: 'the AmazonSSMAgent Windows service failed',
    nextStep:
      'On the instance: Get-Service AmazonSSMAgent, and read %PROGRAMDATA%\\Amazon\\SSM\\Logs\\errors.log.',
  },
  {
    id: 'agent-stopped',
    cause: 'AGENT_NOT_RUNNING',
    // systemd stopping or deactivating the unit outside a shutdown; a restart shows "Started" after.
    pattern:
      /(Stopped|Stopping) (amazon-ssm-agent|snap\.amazon-ssm-agent)|amazon-ssm-agent\S*\.service: (Deactivated|Succeeded)/i,
    meaning: 'the SSM Agent service was stopped',
    nextStep:
      'On the instance: sudo systemctl enable --now amazon-ssm-agent, and find what stopped it (journalctl -u amazon-ssm-agent).',
  },
  {
    id: 'metadata-unreachable',
    cause: 'METADATA_UNREACHABLE_FROM_OS',
    // Windows images built elsewhere keep a stale route to 169.254.169.254 (EC2Launch/EC2Config
    // then log that they cannot reach the metadata service).
    pattern:
      /(unable to|cannot|could not|failed to) (reach|connect to|contact|get|retrieve)[^.]{0,40}(instance )?(metadata|169\.254\.169\.254)|169\.254\.169\.254[^.]{0,40}(unreachable|timed out|timeout)/i,
    meaning: 'the OS cannot reach the instance metadata service (169.254.169.254)',
    nextStep:
      'On Windows: route print 169.254.169.254 — delete a stale route and re-add it through the current gateway (or run the EC2Launch "Initialize-Instance"/InitializeInstance.ps1 -Schedule), then restart AmazonSSMAgent.',
  },
  {
    id: 'cloud-init-error',
    pattern:
      /cloud-init.*\b(ERROR|Traceback|failed)\b|Failed to start (Initial )?cloud-init|Failed running \/var\/lib\/cloud\//i,
    meaning:
      'cloud-init (user data) reported errors, which may have skipped installing or starting the agent',
    nextStep: 'Read /var/log/cloud-init-output.log on the instance and fix the user data.',
  },
];
