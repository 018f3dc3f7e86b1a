/** ALL_CHECKS is written out by hand: every check a module under engine/checks exports must be in it. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Check } from '../../lambdas/engine/check.ts';
import { ALL_CHECKS } from '../../lambdas/engine/checks/index.ts';

const CHECKS_DIR = fileURLToPath(new URL('../../lambdas/engine/checks/', import.meta.url));
const isCheck = (value: unknown): value is Check =>
  typeof value === 'object' && value !== null && 'id' in value && 'evaluate' in value && 'reads' in value;

describe('ALL_CHECKS', () => {
  it('holds every check that a check module exports, each once', async () => {
    const files = readdirSync(CHECKS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.ts'),
    );
    const exported = new Set<Check>();
    for (const file of files) {
      const module = (await import(`${CHECKS_DIR}${file}`)) as Record<string, unknown>;
      for (const value of Object.values(module)) {
        for (const item of Array.isArray(value) ? value : [value]) if (isCheck(item)) exported.add(item);
      }
    }
    expect(exported.size).toBeGreaterThan(10);
    const listed = new Set(ALL_CHECKS);
    expect(listed.size).toBe(ALL_CHECKS.length);
    expect([...exported].filter((check) => !listed.has(check)).map((check) => check.id)).toEqual([]);
  });
});
