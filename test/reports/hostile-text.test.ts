/**
 * Text from the account is data: Name tags holding line breaks, terminal escape sequences, bidi
 * overrides, markdown and HTML reach no table, markdown document or email raw.
 */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../lambdas/cli/render/markdown.ts';
import { renderTable } from '../../lambdas/cli/render/table.ts';
import type { World } from '../../lambdas/sim/index.ts';
import { renderRunEmail } from '../../lambdas/workflow/email.ts';
import { changesSince } from '../../lambdas/workflow/ledger.ts';
import { exampleWorld, scanWorld } from '../worlds/scan-world.ts';

const HOSTILE: Record<string, string> = {
  'legacy-app-1': 'app\n[NEW] i-0000000000000dead — Online — everything fine\nFIXED THIS RUN, BACK ONLINE',
  'legacy-app-2': 'x\u001b[2J\u001b[H\u001b]0;pwned\u0007\u009b31m\u007f',
  'web-3': '# Heading [click](https://evil.example) <script>alert(1)</script> | `tick` *bold*',
  'ops-tools-1': 'abc\u202edcba\u2028next\u2029para\r\nend',
};

/** The sample fleet with the Name tags above. */
async function hostileWorld(): Promise<World> {
  const world = await exampleWorld('sample-fleet.json');
  for (const instance of world.ec2.Instances) {
    for (const tag of instance.Tags ?? [])
      if (tag.Key === 'Name' && tag.Value && HOSTILE[tag.Value]) tag.Value = HOSTILE[tag.Value];
  }
  return world;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters is the point.
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('names from the account in people-facing output', () => {
  it('reach the table, the markdown and the email as one inert line each', async () => {
    const { report } = await scanWorld(await hostileWorld());
    const table = renderTable(report, false);
    const markdown = renderMarkdown(report);
    const email = renderRunEmail(report, changesSince(new Map(), report.findings, report.errors), 'aws').body;

    for (const output of [table, markdown, email]) {
      expect(output).not.toMatch(CONTROL);
      // The forged lines never start a line of their own.
      expect(output).not.toMatch(/^\[NEW\] i-0000000000000dead/m);
      expect(output).not.toMatch(/^FIXED THIS RUN/m);
      expect(output).not.toContain('\r');
    }
    expect(table).toContain('app [NEW] i-00000000000…  ConnectionLost');
    expect(email).toMatch(
      /^\[NEW\] i-\w+ \(app \[NEW\] i-0000000000000dead — Online — everything fine FIXED ?…\) — /m,
    );
    // Markdown: no heading, link, HTML or code span injected; the text is still there, escaped.
    expect(markdown).not.toContain('<script>');
    expect(markdown).not.toMatch(/^# Heading/m);
    expect(markdown).not.toContain('[click](https://evil.example)');
    // (cut at 64 characters, as every name is)
    expect(markdown).toContain('\\# Heading \\[click\\]\\(https://evil.example\\) \\<script\\>alert\\(1\\)');
  });

  it('keeps placeholders in markdown commands inside code fences', async () => {
    const { report } = await scanWorld(await exampleWorld('sample-fleet.json'));
    const markdown = renderMarkdown(report);
    const fenced = markdown.split('```').filter((_, i) => i % 2 === 1);
    expect(fenced.some((block) => block.includes('--association-id <association-id>'))).toBe(true);
    // Outside the fences a placeholder is escaped, so no renderer takes it for an HTML tag.
    const prose = markdown
      .split('```')
      .filter((_, i) => i % 2 === 0)
      .join('');
    expect(prose).not.toMatch(/(?<!\\)<[a-z][\w-]*>/);
  });
});
