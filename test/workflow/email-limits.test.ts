/**
 * SNS refuses a subject of 100 characters or more (or outside printable ASCII) and a message over
 * 256 KiB. A refused Publish fails `Report and notify` before the ledger is written, so the next
 * run would build the same email and fail again: the email must fit whatever the run found.
 */
import { PublishCommand } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import type { Finding, Report, RunError } from '../../lambdas/engine/report-model.ts';
import { DEFAULT_SETTINGS } from '../../lambdas/engine/settings.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { renderRunEmail } from '../../lambdas/workflow/email.ts';
import type { LedgerEntry, RunChanges } from '../../lambdas/workflow/ledger.ts';
import { buildWorld } from '../remediation/worlds.ts';

const REGION = 'eu-west-1';
const id = (i: number) => `i-${String(i).padStart(17, '0')}`;

function finding(instanceId: string): Finding {
  return {
    instanceId,
    name: `web-${instanceId.slice(-5)}`,
    ssmStatus: 'NotRegistered',
    rootCause: 'ROUTE_MISSING',
    causes: ['ROUTE_MISSING'],
    checks: [],
    remediations: [],
    nextSteps: [],
    instance: { platform: 'linux' },
  };
}

function resolvedEntry(instanceId: string): LedgerEntry {
  return {
    instanceId,
    name: `a-rather-long-application-server-name-${instanceId.slice(-5)}`,
    firstSeen: '2026-11-20T00:00:00Z',
    lastSeen: '2026-11-26T05:00:00Z',
    rootCause: 'ROLE_MISSING_SSM_PERMISSIONS',
    fixes: [],
  };
}

function reportOf(findings: Finding[], errors: RunError[] = []): Report {
  return {
    format: 'ssm-doctor/report@1',
    accountId: '111122223333',
    region: REGION,
    generatedAt: '2026-11-26T06:00:00.000Z',
    settings: DEFAULT_SETTINGS,
    summary: {
      runningInstances: 20_000,
      online: 20_000 - findings.length,
      notRegistered: findings.length,
      connectionLost: 0,
      ignored: 0,
      inGracePeriod: 0,
    },
    groups: [],
    findings,
    errors,
  };
}

const noChanges = (): RunChanges => ({
  newProblems: [],
  causeChanged: [],
  resolved: [],
  fixesApplied: [],
  fixesFailed: [],
  configurationErrors: [],
  since: new Map(),
});

/** Publishes through the simulated SNS, which applies SNS's own subject and size rules. */
async function publish(subject: string, message: string) {
  const account = new SimulatedAccount(buildWorld({ instances: [] }));
  const { sns } = createClients({ region: REGION, simulated: account, maxAttempts: 1 });
  await sns.send(
    new PublishCommand({
      TopicArn: `arn:aws:sns:${REGION}:111122223333:ssm-doctor-notifications`,
      Subject: subject,
      Message: message,
    }),
  );
  return account.published;
}

describe('the run email within SNS limits', () => {
  it('keeps a long subject printable ASCII and under 100 characters, so SNS accepts it', async () => {
    const findings = Array.from({ length: 12_345 }, (_, i) => finding(id(i)));
    const settingError: RunError = { code: 'InvalidSetting', parameter: 'notify-on', message: 'bad' };
    const changes: RunChanges = {
      ...noChanges(),
      newProblems: findings.slice(0, 1234),
      resolved: Array.from({ length: 567 }, (_, i) => resolvedEntry(id(50_000 + i))),
      fixesApplied: findings.slice(0, 89),
      fixesFailed: findings.slice(89, 101),
      configurationErrors: [settingError],
    };

    const email = renderRunEmail(reportOf(findings, [settingError]), changes, 'aws');

    expect(email.subject).toMatch(/^ssm-doctor: 12345 unmanaged instances in 111122223333\/eu-west-1/);
    expect(email.subject).toMatch(/^[!-~][ -~]{0,98}$/);
    expect(await publish(email.subject, email.body)).toHaveLength(1);
  });

  it('keeps a wave of recoveries under 256 KiB and says how many were left out', async () => {
    const changes: RunChanges = {
      ...noChanges(),
      resolved: Array.from({ length: 10_000 }, (_, i) => resolvedEntry(id(i))),
    };

    const email = renderRunEmail(reportOf([]), changes, 'aws');

    expect(Buffer.byteLength(email.body)).toBeLessThan(256 * 1024);
    expect(email.body).toContain(`- ${id(0)} (a-rather-long-application-server-name-00000)`);
    expect(email.body).toMatch(/…and [\d,]+ more resolved instances, left out to fit one email/);
    expect(await publish(email.subject, email.body)).toHaveLength(1);
  });
});
