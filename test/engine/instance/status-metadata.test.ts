import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../lambdas/engine/check.ts';
import { instanceMetadataCheck } from '../../../lambdas/engine/checks/instance/metadata.ts';
import { instanceStatusCheck } from '../../../lambdas/engine/checks/instance/status.ts';
import type { InstanceFacts } from '../../../lambdas/engine/facts.ts';
import { readOk } from '../../../lambdas/engine/readout.ts';
import { buildFacts, denied } from './facts-builder.ts';

const status = (facts: InstanceFacts) => instanceStatusCheck.evaluate(facts) as CheckResult;
const metadata = (facts: InstanceFacts) => instanceMetadataCheck.evaluate(facts) as CheckResult;

describe('instance.status', () => {
  it('passes when EC2 reports no status (treated as ok)', () => {
    expect(status(buildFacts()).status).toBe('pass');
  });

  it('passes ok/ok', () => {
    const facts = buildFacts({
      status: readOk({ SystemStatus: { Status: 'ok' }, InstanceStatus: { Status: 'ok' } }),
    });
    expect(status(facts).status).toBe('pass');
  });

  it('fails INSTANCE_STATUS_IMPAIRED naming which check and its details', () => {
    const facts = buildFacts({
      status: readOk({
        SystemStatus: { Status: 'ok' },
        InstanceStatus: {
          Status: 'impaired',
          Details: [
            { Name: 'reachability', Status: 'failed', ImpairedSince: new Date('2026-11-26T05:00:00Z') },
          ],
        },
      }),
    });
    const outcome = status(facts);

    expect(outcome).toMatchObject({ status: 'fail', cause: 'INSTANCE_STATUS_IMPAIRED' });
    expect(outcome.summary).toContain('instance status check');
    expect(outcome.evidence.instanceDetails).toEqual([
      { name: 'reachability', status: 'failed', impairedSince: '2026-11-26T05:00:00.000Z' },
    ]);
    expect(outcome.nextSteps?.[0]).toContain('get-console-output');
  });

  it('suggests stop/start for an impaired system check', () => {
    const outcome = status(
      buildFacts({
        status: readOk({ SystemStatus: { Status: 'impaired' }, InstanceStatus: { Status: 'ok' } }),
      }),
    );

    expect(outcome.cause).toBe('INSTANCE_STATUS_IMPAIRED');
    expect(outcome.nextSteps?.[0]).toContain(
      'aws ec2 stop-instances --region eu-west-1 --instance-ids i-0123456789abcdef0',
    );
  });

  it.each(['insufficient-data', 'initializing'] as const)('warns while a check is %s', (value) => {
    const outcome = status(
      buildFacts({ status: readOk({ SystemStatus: { Status: 'ok' }, InstanceStatus: { Status: value } }) }),
    );
    expect(outcome.status).toBe('warn');
    expect(outcome.cause).toBeUndefined();
  });

  it('answers unknown when the status cannot be read', () => {
    const outcome = status(buildFacts({ status: denied('DescribeInstanceStatus') }));
    expect(outcome.status).toBe('unknown');
    expect(outcome.summary).toContain('DescribeInstanceStatus failed with AccessDenied');
  });
});

describe('instance.metadata', () => {
  it('fails IMDS_DISABLED with the command that enables it', () => {
    const outcome = metadata(
      buildFacts({ instance: { MetadataOptions: { HttpEndpoint: 'disabled', HttpTokens: 'required' } } }),
    );

    expect(outcome).toMatchObject({ status: 'fail', cause: 'IMDS_DISABLED' });
    expect(outcome.nextSteps).toEqual([
      'aws ec2 modify-instance-metadata-options --region eu-west-1 --instance-id i-0123456789abcdef0 --http-endpoint enabled --http-tokens required',
    ]);
  });

  it('warns when IMDSv1 is allowed', () => {
    const outcome = metadata(
      buildFacts({ instance: { MetadataOptions: { HttpEndpoint: 'enabled', HttpTokens: 'optional' } } }),
    );
    expect(outcome.status).toBe('warn');
    expect(outcome.nextSteps?.[0]).toContain('MetadataNoToken');
  });

  it('passes IMDSv2 required', () => {
    expect(metadata(buildFacts()).status).toBe('pass');
  });

  it('passes with a note when EC2 reports no metadata options', () => {
    const outcome = metadata(buildFacts({ instance: { MetadataOptions: undefined } }));
    expect(outcome.status).toBe('pass');
    expect(outcome.evidence.note).toMatch(/defaults/);
  });
});
