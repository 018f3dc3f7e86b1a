/**
 * The kept report is streamed as it is rendered (never whole in memory): what a reader downloads
 * must be exactly what rendering it whole gives — the report@1 JSON with every finding in full, and
 * the markdown with no size bound.
 */
import { describe, expect, it } from 'vitest';
import { createClients } from '../../lambdas/aws/clients.ts';
import { storeReport } from '../../lambdas/aws/report-archive.ts';
import { renderMarkdown } from '../../lambdas/cli/render/markdown.ts';
import type { Report } from '../../lambdas/engine/report-model.ts';
import { SimulatedAccount } from '../../lambdas/sim/account.ts';
import { awsError } from '../../lambdas/sim/index.ts';
import { buildWorld } from '../remediation/worlds.ts';
import { generateWorld } from '../support/bench/generate-world.ts';
import { scanWorld } from '../worlds/scan-world.ts';

describe('the kept report', () => {
  it('is, byte for byte, the report rendered whole: JSON with full findings, markdown unbounded', async () => {
    // Prepare: enough findings for several chunks of each object, and a lighter copy of each finding
    // in the report (as the workflow keeps them) with the full one given aside.
    const world = generateWorld({ instances: 4_000, candidateShare: 0.1, vpcs: 10, roles: 12, seed: 7 });
    const { report: full } = await scanWorld(world);
    const light: Report = {
      ...full,
      findings: full.findings.map((f) => ({ ...f, checks: f.checks.map((c) => ({ ...c, evidence: {} })) })),
    };
    const byId = new Map(full.findings.map((f) => [f.instanceId, JSON.stringify(f)]));
    const account = new SimulatedAccount(buildWorld({ instances: [] }));
    const { s3 } = createClients({ region: account.region, simulated: account, maxAttempts: 1 });

    // Act
    const stored = await storeReport(
      s3,
      'reports-bucket',
      light,
      'run-1',
      'aws',
      (f) => byId.get(f.instanceId) ?? '',
    );

    // Assess
    const json = account.objects.find((o) => o.Key === stored.jsonKey);
    const markdown = account.objects.find((o) => o.Key === stored.markdownKey);
    expect(json?.Body).toBe(`${JSON.stringify(full)}\n`);
    expect(markdown?.Body).toBe(renderMarkdown(light, Number.POSITIVE_INFINITY));
    expect(json?.Bytes.byteLength).toBeGreaterThan(2 * 1024 * 1024);
    expect(markdown?.Bytes.byteLength).toBeGreaterThan(1024 * 1024);
    expect(account.callCounts()).toEqual({ 's3:PutObject': 2 });
  });

  it('is sent again when S3 is throttled or fails (the SDK does not retry a streamed body)', async () => {
    const world = generateWorld({ instances: 300, candidateShare: 0.1, vpcs: 7, roles: 4, seed: 7 });
    const { report } = await scanWorld(world);
    const account = new SimulatedAccount(buildWorld({ instances: [] }));
    let attempts = 0;
    account.injectFault(({ action }) =>
      action === 's3:PutObject' && ++attempts <= 2
        ? awsError('s3', 'SlowDown', 'Please reduce your request rate.', 503)
        : undefined,
    );
    const { s3 } = createClients({ region: account.region, simulated: account, maxAttempts: 1 });

    const stored = await storeReport(s3, 'reports-bucket', report, 'run-1', 'aws');

    // The first two attempts refused (of the JSON), then the JSON and the markdown written.
    expect(attempts).toBe(4);
    expect(account.objects.map((o) => o.Key)).toEqual([stored.jsonKey, stored.markdownKey]);
    expect(account.objects.find((o) => o.Key === stored.jsonKey)?.Body).toBe(`${JSON.stringify(report)}\n`);
  });
});
