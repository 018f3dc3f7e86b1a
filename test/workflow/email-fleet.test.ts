/**
 * The email a person reads: says each thing once on the sample fleet, and on a 10,000-instance
 * region opens with the groups, lists or counts every unmanaged instance, fits SNS and links to
 * the full report.
 */
import { describe, expect, it } from 'vitest';
import { renderRunEmail } from '../../lambdas/workflow/email.ts';
import { changesSince } from '../../lambdas/workflow/ledger.ts';
import { generateWorld } from '../support/bench/generate-world.ts';
import { exampleWorld, scanWorld } from '../worlds/scan-world.ts';
import { run, sampleFleet, withTable } from './harness.ts';

const HEADER = /^(\[[^\]]+\] )*i-[0-9a-f]+ /;

/** Lines (other than instance headers and blank ones) that appear more than twice. */
function repeatedLines(body: string): string[] {
  const counts = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (!line.trim() || HEADER.test(line)) continue;
    counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 2).map(([line, n]) => `${n}× ${line}`);
}

const URL =
  'https://console.aws.amazon.com/s3/object/ssm-doctor-reports?region=eu-west-1&prefix=runs/x/report.md';

describe('the run email', () => {
  it('repeats no line more than twice on the sample fleet, outside instance headers', async () => {
    const { report } = await scanWorld(await exampleWorld('sample-fleet.json'));
    const email = renderRunEmail(report, changesSince(new Map(), report.findings, report.errors), 'aws');

    expect(repeatedLines(email.body)).toEqual([]);
    expect(email.body).not.toContain('not-enabled');
    expect(email.body).not.toContain('(see evidence)');
  });

  it('repeats no line more than twice after fixes either, and counts exactly what happened', async () => {
    await withTable(async (dynamo) => {
      const result = await run(dynamo, await sampleFleet(), {
        settings: { 'remediation-mode': 'on', 'enforce-imdsv2': 'true' },
      });
      const email = result.account.published.at(-1)?.Message ?? '';

      expect(repeatedLines(email)).toEqual([]);
      expect(email).toContain('- 3 fixed in this run and back online in Systems Manager');
      expect(email).not.toMatch(/waiting for the agent/);
    });
  });

  it('on 10,000 instances: opens with the groups, lists or counts every unmanaged one, fits SNS, links the full report', async () => {
    const world = generateWorld({ instances: 10_000, candidateShare: 0.1, vpcs: 40, roles: 50, seed: 7 });
    const { report } = await scanWorld(world);
    const email = renderRunEmail(
      report,
      changesSince(new Map(), report.findings, report.errors),
      'aws',
      undefined,
      URL,
    );

    expect(Buffer.byteLength(email.body)).toBeLessThan(256 * 1024);
    expect(email.body).toContain(`Full report of this run (JSON and markdown): ${URL}`);
    const headline = email.body.indexOf('ROOT CAUSES: ');
    expect(headline).toBeGreaterThan(0);
    expect(headline).toBeLessThan(email.body.indexOf('INSTANCES (what changed first)'));
    const grouped = new Set(report.groups.flatMap((g) => g.instanceIds));
    const listed = new Set([...email.body.matchAll(/^(?:\[[^\]]+\] )*(i-[0-9a-f]+) /gm)].map((m) => m[1]));
    const left = /…and ([\d,]+) more instances/.exec(email.body);
    const leftOut = Number((left?.[1] ?? '0').replaceAll(',', ''));
    expect(listed.size + leftOut).toBe(report.findings.length);
    for (const f of report.findings) {
      if (!listed.has(f.instanceId)) expect(grouped.has(f.instanceId) || leftOut > 0).toBe(true);
    }
  });
});
