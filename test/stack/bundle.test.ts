/**
 * The one slow stack test: a real synth with esbuild bundling (local, never Docker). Every
 * function gets an ESM bundle under 1.5 MB (SDK included).
 *
 * Skipped until `lambdas/handlers/stages.ts` exists: the handler entries import it, so bundling
 * cannot succeed before the engine pipeline is wired.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { HANDLERS, PROJECT_ROOT } from '../../lib/constructs/doctor-function.ts';
import { type Synthesized, synthStack } from '../../lib/local/synth.ts';

const MAX_BUNDLE_BYTES = 1.5 * 1024 * 1024;
const stagesReady = existsSync(join(PROJECT_ROOT, 'lambdas/handlers/stages.ts'));
let synth: Synthesized | undefined;
afterAll(() => synth?.cleanup());

it.skipIf(!stagesReady)(
  'bundles every function into one small ESM file',
  () => {
    synth = synthStack({ bundling: true });
    const functions = Object.values(synth.json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(HANDLERS.length);
    // The assets manifest maps each uploaded object key to its staged folder in the assembly.
    const manifest = JSON.parse(
      readFileSync(join(synth.assembly.directory, 'SsmDoctor.assets.json'), 'utf8'),
    ) as {
      files: Record<
        string,
        { source: { path: string }; destinations: Record<string, { objectKey: string }> }
      >;
    };
    const folderOf = (key: string) =>
      Object.values(manifest.files).find((f) =>
        Object.values(f.destinations).some((d) => d.objectKey === key),
      )?.source.path ?? `missing asset for ${key}`;
    for (const fn of functions) {
      const assetDir = join(synth.assembly.directory, folderOf(fn.Properties.Code.S3Key));
      expect(readdirSync(assetDir)).toEqual(['index.mjs']);
      const size = statSync(join(assetDir, 'index.mjs')).size;
      expect(size, `${assetDir} is ${size} bytes`).toBeLessThan(MAX_BUNDLE_BYTES);
    }
  },
  180_000,
);
