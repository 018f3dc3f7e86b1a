/**
 * The handler exports themselves: each fails fast, naming what is missing, when the stack did not
 * set its environment; each builds only its manifest's clients; production clients retry with the
 * SDK's adaptive strategy (tests use a zero-delay one, never production code paths).
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { AdaptiveRetryStrategy } from '@smithy/core/retry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildClients } from '../../lambdas/aws/client-factory.ts';
import { stageDeps } from '../../lambdas/handlers/wiring.ts';
import { STAGE_NAMES, STAGES, type StageName } from '../../lambdas/workflow/manifest.ts';
import { STAGE_HANDLERS } from '../support/local/handlers.ts';

let saved: NodeJS.ProcessEnv;
beforeEach(() => {
  saved = { ...process.env };
});
afterEach(() => {
  process.env = saved;
});

describe('every handler export', () => {
  it.each(STAGE_NAMES)(
    '%s fails fast, naming each variable its manifest needs, when it is missing',
    async (stage) => {
      for (const name of STAGES[stage].env) delete process.env[name];
      const handler = STAGE_HANDLERS[stage] as unknown as (event: unknown) => Promise<unknown>;
      await expect(async () => handler({ runId: 'r' })).rejects.toThrow(
        new RegExp(`${STAGES[stage].env.join(', ')} not set for stage ${stage}`),
      );
    },
  );
});

describe('stageDeps', () => {
  const runtime = (stage: StageName) => ({
    env: {
      AWS_REGION: 'eu-west-1',
      ...Object.fromEntries(STAGES[stage].env.map((n) => [n, `value-of-${n}`])),
    },
  });

  it('gives the stage exactly its manifest variables', () => {
    const deps = stageDeps(
      'verify',
      { ssm: SSMClient, s3: S3Client },
      { env: { ...runtime('verify').env, TOPIC_ARN: 'x' } },
    );
    expect(deps.env).toEqual({ TABLE_NAME: 'value-of-TABLE_NAME', REPORT_BUCKET: 'value-of-REPORT_BUCKET' });
  });

  it('builds only the clients its handler names, and says so if a stage reaches for another', () => {
    const deps = stageDeps('verify', { ssm: SSMClient, s3: S3Client }, runtime('verify'));
    expect(deps.clients.ssm).toBeInstanceOf(SSMClient);
    expect(() => (deps.clients as unknown as { ec2: unknown }).ec2).toThrow(
      'No ec2 client was wired for this function',
    );
  });

  it('retries with the SDK adaptive strategy in production', async () => {
    const deps = stageDeps('verify', { ssm: SSMClient, s3: S3Client }, runtime('verify'));
    const strategy = await deps.clients.ssm.config.retryStrategy();
    expect(strategy).toBeInstanceOf(AdaptiveRetryStrategy);
    expect(await deps.clients.ssm.config.maxAttempts()).toBe(5);
    // Route 53 (Start run's private DNS) is an SDK client like the others, with the same retry.
    const { route53 } = buildClients({ region: 'eu-west-1' }, { route53: Route53Client });
    expect(await route53.config.retryStrategy()).toBeInstanceOf(AdaptiveRetryStrategy);
  });
});
