/**
 * Commands that install (or update) the SSM Agent, per packaging, from the regional download
 * bucket. They run on the instance itself, so they are reached over SSH/RDP, the EC2 serial
 * console, or user data — Systems Manager is exactly what does not work yet.
 */
import type { InstanceFacts } from '../../facts.ts';
import { platformOf } from '../../platform.ts';
import type { Packaging } from './ami-families.ts';

const GUIDE = 'https://docs.aws.amazon.com/systems-manager/latest/userguide';
const LINKS: Record<'linux' | 'windows' | 'macos', string> = {
  linux: `${GUIDE}/manually-install-ssm-agent-linux.html`,
  windows: `${GUIDE}/manually-install-ssm-agent-windows.html`,
  macos: `${GUIDE}/manually-install-ssm-agent-macos.html`,
};

function downloadBase(facts: InstanceFacts): string {
  const suffix = facts.partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://s3.${facts.region}.${suffix}/amazon-ssm-${facts.region}/latest`;
}

function packagingFromPlatform(facts: InstanceFacts): Packaging | undefined {
  const platform = platformOf(facts.candidate);
  return platform === 'windows' || platform === 'macos' ? platform : undefined;
}

/** Install (or, with `update`, upgrade) commands followed by the AWS guide for the OS. */
export function agentInstallSteps(facts: InstanceFacts, packaging?: Packaging, update = false): string[] {
  const base = downloadBase(facts);
  const arm = (facts.candidate.instance.Architecture ?? '').startsWith('arm64');
  const arch = arm ? 'arm64' : 'amd64';
  switch (packaging ?? packagingFromPlatform(facts)) {
    case 'rpm':
      return [
        `curl -fsSL -o /tmp/amazon-ssm-agent.rpm ${base}/linux_${arch}/amazon-ssm-agent.rpm && sudo rpm -U /tmp/amazon-ssm-agent.rpm && sudo systemctl enable --now amazon-ssm-agent`,
        LINKS.linux,
      ];
    case 'deb':
      return [
        `curl -fsSL -o /tmp/amazon-ssm-agent.deb ${base}/debian_${arch}/amazon-ssm-agent.deb && sudo dpkg -i /tmp/amazon-ssm-agent.deb && sudo systemctl enable --now amazon-ssm-agent`,
        LINKS.linux,
      ];
    case 'snap':
      return [
        update
          ? 'sudo snap refresh amazon-ssm-agent'
          : 'sudo snap install amazon-ssm-agent --classic && sudo snap start amazon-ssm-agent',
        LINKS.linux,
      ];
    case 'windows':
      return [
        `PowerShell: Invoke-WebRequest ${base}/windows_amd64/AmazonSSMAgentSetup.exe -OutFile $env:TEMP\\AmazonSSMAgentSetup.exe; Start-Process -FilePath $env:TEMP\\AmazonSSMAgentSetup.exe -ArgumentList '/S' -Wait; Restart-Service AmazonSSMAgent`,
        LINKS.windows,
      ];
    case 'macos':
      return [
        `curl -fsSL -o /tmp/amazon-ssm-agent.pkg ${base}/darwin_${arch}/amazon-ssm-agent.pkg && sudo installer -pkg /tmp/amazon-ssm-agent.pkg -target /`,
        LINKS.macos,
      ];
    default:
      return [
        `Install the SSM Agent for the instance's OS: ${LINKS.linux} (Linux), ${LINKS.windows} (Windows)`,
      ];
  }
}
