/**
 * "Applied, waiting for agent" says by when the instance should be back at the latest: 60 minutes
 * for the health ping's back-off, about a day after an AccessDenied (the credential refresher),
 * and how to make the agent retry now.
 */
import { describe, expect, it } from 'vitest';
import { waitingForAgentStep } from '../../../lambdas/engine/remediation/verification.ts';

const AT = '2026-11-26T06:00:00.000Z';

describe('waitingForAgentStep', () => {
  it('after an IMDS change: back within the 60-minute health back-off, by the hour after the fix', () => {
    const step = waitingForAgentStep('linux', { fixes: ['enforce-imdsv2'], appliedAt: AT });

    expect(step).toContain('by 2026-11-26T07:00:00.000Z at the latest');
    expect(step).not.toContain('day');
    expect(step).toContain('sudo systemctl restart amazon-ssm-agent');
  });

  it('after a credentials fix: the refresher may sleep about a day after the AccessDenied', () => {
    const step = waitingForAgentStep('windows', { fixes: ['attach-core-policy'], appliedAt: AT });

    expect(step).toContain('by 2026-11-27T06:00:00.000Z at the latest');
    expect(step).toContain('Restart-Service AmazonSSMAgent');
    expect(step).toMatch(/reboot/);
  });

  it('without a time of the fix still gives the bounds in words', () => {
    const step = waitingForAgentStep('unknown', { fixes: ['attach-instance-profile'] });

    expect(step).toContain('within a day at the latest');
    expect(step).toContain('up to an hour');
  });
});
