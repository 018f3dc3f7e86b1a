/**
 * Start run keeps of each instance only what discovery judges it by (a region's instances do not
 * fit in memory whole): the steering tags and the name must still be read as discovery reads
 * them — in any case, next to as many other tags as an instance carries.
 */
import { describe, expect, it } from 'vitest';
import { buildWorld } from '../remediation/worlds.ts';
import { archivedReport, run, withTable } from './harness.ts';

const OTHER_TAGS = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`team:tag-${i}`, `value-${i}`]));

describe('discovery in Start run', () => {
  it('reads the name and the steering tags in any case, among many others', async () => {
    // Prepare
    const world = buildWorld({
      instances: [
        {
          id: 'i-0000000000000000a',
          tags: { ...OTHER_TAGS, 'SSM-Doctor:Ignore': ' TRUE ', Name: 'hidden-one' },
        },
        {
          id: 'i-0000000000000000b',
          tags: { ...OTHER_TAGS, 'ssm-doctor:ignore': 'maybe', Name: 'judged-one' },
        },
        { id: 'i-0000000000000000c', tags: { ...OTHER_TAGS, 'ssm-doctor:REMEDIATE': 'no' } },
      ],
    });

    // Act
    const result = await withTable((dynamo) => run(dynamo, world));

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    const report = archivedReport(result.account);
    expect(report.ignored).toEqual([
      { instanceId: 'i-0000000000000000a', name: 'hidden-one', tag: 'SSM-Doctor:Ignore= TRUE ' },
    ]);
    expect(report.findings.map((f) => [f.instanceId, f.name])).toEqual([
      ['i-0000000000000000b', 'judged-one'],
      ['i-0000000000000000c', '000c'],
    ]);
    expect(report.errors.filter((e) => e.code === 'InvalidTag').map((e) => e.message)).toEqual([
      expect.stringContaining('i-0000000000000000b is tagged "ssm-doctor:ignore"="maybe"'),
      expect.stringContaining('i-0000000000000000c is tagged "ssm-doctor:REMEDIATE"="no"'),
    ]);
  });
});
