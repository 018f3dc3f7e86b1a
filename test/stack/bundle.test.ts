/**
 * The one slow stack test: a real synth with esbuild bundling (local, never Docker). Every
 * function gets an ESM bundle under 1.5 MB (SDK included), and the stages that call no EC2
 * (verify, notify-failure) stay under 0.6 MB, report (which adds S3 and EventBridge) under 0.8 MB:
 * each handler bundles only its own clients.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { STAGE_NAMES } from '../../lambdas/workflow/manifest.ts';
import { logicalIdOf, type Synthesized, synthStack } from '../support/local/synth.ts';

const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;
const SMALL_BUNDLE_BYTES = 0.6 * 1024 * 1024;
/** report also carries S3 (the full report) and EventBridge (the events): ~0.66 MB measured. */
const REPORT_BUNDLE_BYTES = 0.8 * 1024 * 1024;
const WITHOUT_EC2 = ['verify', 'notify-failure'];
let synth: Synthesized | undefined;
afterAll(() => synth?.cleanup());

it('bundles every function into one small ESM file', () => {
  synth = synthStack({ bundling: true });
  const functions = Object.values(synth.json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
  expect(functions).toHaveLength(STAGE_NAMES.length);
  // The assets manifest maps each uploaded object key to its staged folder in the assembly.
  const manifest = JSON.parse(
    readFileSync(join(synth.assembly.directory, 'SsmDoctor.assets.json'), 'utf8'),
  ) as {
    files: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const folderOf = (key: string) =>
    Object.values(manifest.files).find((f) => Object.values(f.destinations).some((d) => d.objectKey === key))
      ?.source.path ?? `missing asset for ${key}`;
  for (const name of STAGE_NAMES) {
    const fn = synth.json.Resources[logicalIdOf(synth.stack.functions[name].function)];
    const assetDir = join(synth.assembly.directory, folderOf(fn?.Properties.Code.S3Key));
    expect(readdirSync(assetDir)).toEqual(['index.mjs']);
    const size = statSync(join(assetDir, 'index.mjs')).size;
    const limit =
      name === 'report'
        ? REPORT_BUNDLE_BYTES
        : WITHOUT_EC2.includes(name)
          ? SMALL_BUNDLE_BYTES
          : MAX_BUNDLE_BYTES;
    expect(size, `${name}: ${assetDir} is ${size} bytes`).toBeLessThan(limit);
  }
}, 180_000);
