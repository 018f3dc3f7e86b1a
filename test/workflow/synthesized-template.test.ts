/**
 * Local runs deploy a template synthesized once per process (test/support/local/definition.ts):
 * it must be the stack the sources build now, and deploying it must leave it as it was for the
 * next test file of the same worker.
 */
import { describe, expect, it } from 'vitest';
import { localDeployment, localTemplate } from '../support/local/definition.ts';
import { synthesizedTemplate } from '../support/local/deployment.ts';

describe('the template local runs deploy', () => {
  it('is synthesized once per process and is what the stack synthesizes now', () => {
    const cached = localTemplate();

    expect(localTemplate()).toBe(cached);
    expect(synthesizedTemplate()).toEqual(cached);
  });

  it('is not changed by deploying it', () => {
    const before = structuredClone(localTemplate());

    localDeployment({ accountId: '111122223333', region: 'eu-west-1' }, 'some-table');
    localDeployment({ accountId: '444455556666', region: 'us-east-1' }, 'other-table');

    expect(localTemplate()).toEqual(before);
  });
});
