import type { Image } from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../lambdas/engine/check.ts';
import { agentConsoleCheck } from '../../../lambdas/engine/checks/instance/agent-console.ts';
import { agentShipping, instanceChecks } from '../../../lambdas/engine/checks/instance/index.ts';
import type { InstanceFacts } from '../../../lambdas/engine/facts.ts';
import { readOk } from '../../../lambdas/engine/readout.ts';
import { buildFacts, denied } from './facts-builder.ts';

/** The first result (agent.console gives one per cause it proves). */
const run = (id: string, facts: InstanceFacts) =>
  [instanceChecks.find((check) => check.id === id)?.evaluate(facts)].flat()[0] as CheckResult;

const image = (fields: Partial<Image>): Image => ({
  ImageId: 'ami-0bbbbbbbbbbbbbbbb',
  PlatformDetails: 'Linux/UNIX',
  ...fields,
});

describe('agentShipping', () => {
  it.each([
    [
      'Amazon Linux 2023',
      {
        Name: 'al2023-ami-2023.6.20241111.0-kernel-6.1-x86_64',
        ImageOwnerAlias: 'amazon',
        OwnerId: '137112412989',
      },
    ],
    [
      'Amazon Linux 2',
      { Name: 'amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2', OwnerId: '137112412989' },
    ],
    [
      'Amazon Linux AMI',
      { Name: 'amzn-ami-2018.03.20231218.0-amazon-ecs-optimized', ImageOwnerAlias: 'amazon' },
    ],
    ['EKS-optimized Amazon Linux', { Name: 'amazon-eks-node-1.30-v20241109', OwnerId: '602401143452' }],
    [
      'Windows Server',
      {
        Name: 'Windows_Server-2022-English-Full-Base-2024.11.13',
        ImageOwnerAlias: 'amazon',
        Platform: 'windows' as const,
        PlatformDetails: 'Windows',
      },
    ],
    ['macOS', { Name: 'amzn-ec2-macos-14.7.1-20241112-000000-arm64', ImageOwnerAlias: 'amazon' }],
    [
      'Ubuntu (Canonical)',
      { Name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241109', OwnerId: '099720109477' },
    ],
    [
      'SUSE Linux Enterprise Server',
      { Name: 'suse-sles-15-sp6-v20241113-hvm-ssd-x86_64', OwnerId: '013907871322' },
    ],
  ])('%s ships the agent', (family, fields) => {
    expect(agentShipping(image(fields as Partial<Image>))).toMatchObject({ shipping: 'ships', family });
  });

  it.each([
    [
      'Amazon Linux minimal',
      { Name: 'al2023-ami-minimal-2023.6.20241111.0-kernel-6.1-x86_64', ImageOwnerAlias: 'amazon' },
    ],
    [
      'Red Hat Enterprise Linux',
      {
        Name: 'RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3',
        OwnerId: '309956199498',
        PlatformDetails: 'Red Hat Enterprise Linux',
      },
    ],
    [
      'Red Hat Enterprise Linux',
      {
        Name: 'RHEL-9.4.0-marketplace-copy',
        OwnerId: '679593333241',
        Public: true,
        PlatformDetails: 'Red Hat Enterprise Linux',
      },
    ],
    ['CentOS / Fedora', { Name: 'CentOS Stream 9 x86_64 20241111', OwnerId: '125523088429' }],
    ['Rocky Linux', { Name: 'Rocky-9-EC2-Base-9.4-20240523.0.x86_64', OwnerId: '792107900819' }],
    ['AlmaLinux', { Name: 'AlmaLinux OS 9.4.20240805 x86_64', OwnerId: '764336703387' }],
    ['Debian', { Name: 'debian-12-amd64-20241111-1928', OwnerId: '136693071363' }],
    ['Oracle Linux', { Name: 'OL9.4-x86_64-HVM-2024-06-13', OwnerId: '131827586825' }],
  ])('%s does not ship the agent', (family, fields) => {
    expect(agentShipping(image(fields))).toMatchObject({ shipping: 'does-not-ship', family });
  });

  it('does not blame a private AMI built on a family without the agent: it may be baked in', () => {
    const golden = image({
      Name: 'rocky-9-golden-2024-11',
      OwnerId: '111122223333',
      Public: false,
      PlatformDetails: 'Red Hat Enterprise Linux',
    });
    expect(agentShipping(golden)).toMatchObject({ shipping: 'unknown', family: 'a private (custom) AMI' });
  });

  it('does not guess about a custom AMI', () => {
    expect(agentShipping(image({ Name: 'golden-web-2024-11', OwnerId: '111122223333' }))).toMatchObject({
      shipping: 'unknown',
      family: 'a custom or third-party AMI',
    });
  });
});

describe('agent.ami', () => {
  it('passes a NotRegistered instance from Amazon Linux 2023', () => {
    expect(run('agent.ami', buildFacts()).status).toBe('pass');
  });

  it('fails AGENT_NOT_PREINSTALLED for RHEL with the install command', () => {
    const rhel = image({
      Name: 'RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3',
      OwnerId: '309956199498',
      PlatformDetails: 'Red Hat Enterprise Linux',
    });
    const outcome = run('agent.ami', buildFacts({ image: readOk(rhel) }));

    expect(outcome).toMatchObject({ status: 'fail', cause: 'AGENT_NOT_PREINSTALLED' });
    expect(outcome.summary).toContain('the agent may not be installed');
    expect(outcome.nextSteps?.[0]).toContain('/latest/linux_amd64/amazon-ssm-agent.rpm');
  });

  it('gives Debian the .deb for its architecture', () => {
    const debian = image({ Name: 'debian-12-arm64-20241111-1928', OwnerId: '136693071363' });
    const outcome = run(
      'agent.ami',
      buildFacts({ image: readOk(debian), instance: { Architecture: 'arm64' } }),
    );

    expect(outcome.cause).toBe('AGENT_NOT_PREINSTALLED');
    expect(outcome.nextSteps?.[0]).toContain('/latest/debian_arm64/amazon-ssm-agent.deb');
  });

  it('answers unknown, with no cause, for an AMI that is not visible', () => {
    const outcome = run('agent.ami', buildFacts({ image: readOk(undefined) }));
    expect(outcome.status).toBe('unknown');
    expect(outcome.cause).toBeUndefined();
  });

  it('answers unknown for a custom AMI and for an unreadable one', () => {
    const custom = image({ Name: 'golden-web-2024-11', OwnerId: '111122223333' });
    expect(run('agent.ami', buildFacts({ image: readOk(custom) })).summary).toContain(
      'verify the agent is installed',
    );
    expect(run('agent.ami', buildFacts({ image: denied('DescribeImages') })).status).toBe('unknown');
  });

  it('passes a ConnectionLost instance whatever its AMI (it registered before)', () => {
    const debian = image({ Name: 'debian-12-amd64-20241111-1928', OwnerId: '136693071363' });
    const facts = buildFacts({ image: readOk(debian), information: { AgentVersion: '3.3.1000.0' } });
    expect(run('agent.ami', facts).status).toBe('pass');
  });
});

describe('agent.registration', () => {
  it('skips a NotRegistered instance, saying it never registered', () => {
    const outcome = run('agent.registration', buildFacts());
    expect(outcome.status).toBe('skip');
    expect(outcome.evidence.registration).toBe('never registered');
  });

  it('warns for ConnectionLost with the last version, ping time and platform', () => {
    const facts = buildFacts({
      information: {
        PingStatus: 'ConnectionLost',
        AgentVersion: '3.3.987.0',
        LastPingDateTime: new Date('2026-11-25T22:14:00Z'),
        PlatformName: 'Amazon Linux',
        PlatformVersion: '2023',
      },
    });
    const outcome = run('agent.registration', facts);

    expect(outcome.status).toBe('warn');
    expect(outcome.evidence).toMatchObject({
      agentVersion: '3.3.987.0',
      lastPingDateTime: '2026-11-25T22:14:00.000Z',
      platform: 'Amazon Linux 2023',
    });
    expect(outcome.summary).toContain('2026-11-25T22:14:00.000Z');
  });
});

describe('agent.console', () => {
  const consoleOf = (text: string | undefined) =>
    run('agent.console', buildFacts({ consoleOutput: readOk(text) }));

  it('skips when the console output was not read', () => {
    expect(run('agent.console', buildFacts()).status).toBe('skip');
  });

  it('answers unknown when reading it failed', () => {
    expect(run('agent.console', buildFacts({ consoleOutput: denied('GetConsoleOutput') })).status).toBe(
      'unknown',
    );
  });

  it('passes a clean boot', () => {
    expect(consoleOf('[  OK  ] Started amazon-ssm-agent.\nCloud-init v. 22.2.2 finished\n').status).toBe(
      'pass',
    );
  });

  it.each([
    [
      'kernel-panic',
      '[    2.1] Kernel panic - not syncing: VFS: Unable to mount root fs on unknown-block(0,0)',
      'INSTANCE_BOOT_FAILED',
    ],
    [
      'emergency-mode',
      'You are in emergency mode. After logging in, type "journalctl -xb"',
      'INSTANCE_BOOT_FAILED',
    ],
    ['emergency-mode', '[DEPEND] Dependency failed for /data.', 'INSTANCE_BOOT_FAILED'],
    [
      'disk-full',
      'amazon-ssm-agent[1234]: write /var/lib/amazon/ssm/state: No space left on device',
      'DISK_FULL',
    ],
    [
      'agent-failed',
      '[FAILED] Failed to start amazon-ssm-agent.service - amazon-ssm-agent.',
      'AGENT_NOT_RUNNING',
    ],
    [
      'agent-failed',
      'amazon-ssm-agent.service: Main process exited, code=exited, status=1/FAILURE',
      'AGENT_NOT_RUNNING',
    ],
    ['agent-stopped', '[  OK  ] Stopped amazon-ssm-agent.service - amazon-ssm-agent.', 'AGENT_NOT_RUNNING'],
    [
      'filesystem-error',
      '[  812.1] blk_update_request: I/O error, dev nvme1n1, sector 2048 op 0x0:(READ)',
      'INSTANCE_BOOT_FAILED',
    ],
    [
      'windows-agent-failed',
      '2026/11/26 05:01:02Z: Service AmazonSSMAgent failed to start',
      'AGENT_NOT_RUNNING',
    ],
    [
      'metadata-unreachable',
      '2026/11/26 05:01:02Z: EC2Launch: Unable to reach instance metadata at 169.254.169.254',
      'METADATA_UNREACHABLE_FROM_OS',
    ],
  ])('fails on %s (%s) with its cause', (signature, line, cause) => {
    const outcome = consoleOf(`boot\n  ${line}\r\nmore boot\n`);

    expect(outcome).toMatchObject({ status: 'fail', cause });
    expect(outcome.evidence.signatures).toContain(signature);
    expect(outcome.evidence.lines).toContain(line.trim());
  });

  it('only warns on clues that prove no cause (cloud-init errors)', () => {
    const line =
      '2026-11-26 05:01:02,345 - util.py[WARNING]: Failed running /var/lib/cloud/instance/scripts/part-001 [1]';
    const outcome = consoleOf(`boot\n${line}\n`);

    expect(outcome.status).toBe('warn');
    expect(outcome.cause).toBeUndefined();
    expect(outcome.evidence.signatures).toEqual(['cloud-init-error']);
  });

  it('gives one result per cause, and says how old a last-boot buffer may be', () => {
    const facts = buildFacts({
      consoleOutput: readOk('Kernel panic - not syncing\nNo space left on device\n'),
    });
    facts.consoleBuffer = { latest: false, timestamp: '2026-11-20T04:00:00.000Z' };
    const outcomes = [agentConsoleCheck.evaluate(facts)].flat();

    expect(outcomes.map((o) => o.cause)).toEqual(['INSTANCE_BOOT_FAILED', 'DISK_FULL']);
    expect(outcomes[0]?.summary).toContain(
      'buffer saved at the last boot last updated 2026-11-20T04:00:00.000Z, which may be days old',
    );
    expect(outcomes[0]?.nextSteps?.at(-1)).not.toContain('--latest');
  });

  it('keeps at most five matched lines, trimmed and without colour codes', () => {
    const text = Array.from(
      { length: 8 },
      (_, i) => `\u001b[0;31m[FAILED]\u001b[0m Failed to start amazon-ssm-agent (${i}).`,
    ).join('\n');
    const outcome = consoleOf(text);

    expect(outcome.evidence.lines).toHaveLength(5);
    expect((outcome.evidence.lines as string[])[0]).toBe('[FAILED] Failed to start amazon-ssm-agent (0).');
    expect(outcome.evidence.matchedLines).toBe(8);
  });
});

describe('instanceChecks', () => {
  it('lists the checks in order', () => {
    expect(instanceChecks.map((c) => c.id)).toEqual([
      'instance.status',
      'instance.metadata',
      'agent.ami',
      'agent.registration',
      'agent.console',
    ]);
  });
});

describe('console signatures stay quiet on healthy lines', () => {
  it.each([
    'Cloud-init v. 22.2.2 finished at Tue, 26 Nov 2026 05:01:02 +0000. Datasource DataSourceEc2Local.  Up 20.51 seconds',
    '[  OK  ] Started amazon-ssm-agent.service - amazon-ssm-agent.',
    'cloud-init[1234]: Cloud-init v. 22.2.2 running modules:final, 0 errors',
    // The empty emulated floppy drive of Xen-based instances, probed at boot.
    '[    2.345678] blk_update_request: I/O error, dev fd0, sector 0',
    // A clean exit, e.g. while the agent updates itself: systemd restarts it.
    'amazon-ssm-agent.service: Main process exited, code=exited, status=0/SUCCESS',
  ])('%s', (line) => {
    expect(run('agent.console', buildFacts({ consoleOutput: readOk(line) })).status).toBe('pass');
  });
});
