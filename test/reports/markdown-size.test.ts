/** Markdown for a ticket stays under a ticket's size and says what it left out; the stored one does not. */
import { describe, expect, it } from 'vitest';
import { MARKDOWN_BUDGET, renderMarkdown } from '../../lambdas/cli/render/markdown.ts';
import { generateWorld } from '../support/bench/generate-world.ts';
import { scanWorld } from '../worlds/scan-world.ts';

describe('markdown size', () => {
  it('opens with the groups, stays under 60,000 characters and counts the instances it left out', async () => {
    const world = generateWorld({ instances: 2_000, candidateShare: 0.1, vpcs: 10, roles: 12, seed: 3 });
    const { report } = await scanWorld(world);

    const ticket = renderMarkdown(report);
    const full = renderMarkdown(report, Number.POSITIVE_INFINITY);

    expect(ticket.length).toBeLessThan(MARKDOWN_BUDGET);
    expect(ticket.indexOf('## Root causes')).toBeGreaterThan(0);
    expect(ticket.indexOf('## Root causes')).toBeLessThan(ticket.indexOf('\n## i-'));
    const shown = ticket.match(/^## i-/gm)?.length ?? 0;
    const left = Number(/^> ([\d,]+) more instances left out/m.exec(ticket)?.[1]?.replaceAll(',', ''));
    expect(shown + left).toBe(report.findings.length);
    expect(full.match(/^## i-/gm)).toHaveLength(report.findings.length);
  });
});
