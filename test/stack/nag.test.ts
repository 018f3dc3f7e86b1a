/**
 * cdk-nag AwsSolutions (v3, CDK policy validation) in its own App: nothing left unacknowledged, and
 * every acknowledgement names a finding that really occurs on exactly the resource it sits on,
 * with a reason a reviewer can read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Synthesized, synthStack } from '../support/local/synth.ts';

interface Finding {
  ruleName: string;
  violatingResources?: { constructPath?: string }[];
  violatingConstructs?: { constructPath?: string }[];
}
interface Acknowledgement {
  id: string;
  reason: string;
  path: string;
}

let synth: Synthesized;
beforeAll(() => {
  synth = synthStack({ nag: true });
});
afterAll(() => synth.cleanup());

/** The same rule pack, blind to acknowledgements: every finding the stack would raise. */
function allFindings(): { id: string; path: string }[] {
  const pack = new AwsSolutionsChecks();
  Object.defineProperty(pack, 'isAcknowledged', { value: () => false });
  return pack
    .validateScope(synth.stack)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ id: v.ruleName, path: r.constructPath ?? '' })),
    );
}

function acknowledgements(): Acknowledgement[] {
  return synth.stack.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          id: id.replace(/^annotation::/i, ''),
          reason,
          path: c.node.path,
        })),
      ),
  );
}

it('leaves no AwsSolutions finding unacknowledged', () => {
  const report = JSON.parse(
    readFileSync(join(synth.assembly.directory, 'validation-report.json'), 'utf8'),
  ) as {
    pluginReports: { pluginName: string; violations: Finding[] }[];
  };
  const open = report.pluginReports.flatMap((p) =>
    p.violations.map((v) => ({
      rule: v.ruleName,
      at: (v.violatingConstructs ?? v.violatingResources ?? []).map((r) => r.constructPath),
    })),
  );
  expect(open).toEqual([]);
});

it('acknowledges each finding on the exact resource that raises it', () => {
  const acks = acknowledgements();
  const findings = allFindings();
  expect(findings.length).toBeGreaterThan(0);
  for (const finding of findings) {
    const ack = acks.find((a) => a.id === finding.id && `${a.path}/Resource` === finding.path);
    expect(ack, `${finding.id} at ${finding.path}`).toBeDefined();
  }
});

it('has no stale or vague acknowledgements', () => {
  const findings = allFindings();
  for (const ack of acknowledgements()) {
    expect(
      findings.some((f) => f.id === ack.id && f.path === `${ack.path}/Resource`),
      `${ack.id} at ${ack.path} matches no finding`,
    ).toBe(true);
    expect(ack.id).toMatch(/^AwsSolutions-[A-Za-z]+\d+(\[.+\])?$/);
    expect(ack.reason.split(' ').length, `${ack.id}: reason too short`).toBeGreaterThanOrEqual(8);
  }
});
