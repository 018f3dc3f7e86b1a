import { SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { stageDeps } from '../../lambdas/handlers/wiring.ts';

describe('Lambda wiring', () => {
  it('fails fast, naming the variable, when the stack did not set the environment', () => {
    delete process.env.TABLE_NAME;
    expect(() => stageDeps({ ssm: SSMClient })).toThrow('Environment variable TABLE_NAME is not set');
  });

  it('builds only the clients a handler names, and says so if a stage reaches for another', () => {
    process.env.TABLE_NAME = 'ssm-doctor-table';
    process.env.SETTINGS_PREFIX = '/ssm-doctor/';
    const deps = stageDeps({ ssm: SSMClient });
    expect(deps.clients.ssm).toBeInstanceOf(SSMClient);
    expect(() => deps.clients.ec2).toThrow('No ec2 client was wired for this function');
    expect(stageDeps({})).toBe(deps);
  });
});
