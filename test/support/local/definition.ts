/**
 * The real stack, synthesized once per process and deployed into a world's account and region.
 * Vitest workers keep their modules between test files (`isolate: false`), so a test run
 * synthesizes once per worker, never per file or test. Nothing is kept on disk: each process (each
 * `npm test`, each demo) synthesizes the sources it runs.
 */
import type { World } from '../../../lambdas/sim/index.ts';
import { deployTemplate, type LocalDeployment, synthesizedTemplate } from './deployment.ts';
import type { TemplateJson } from './synth.ts';

let template: TemplateJson | undefined;

/** The template local runs deploy: this process's synthesis of the stack. */
export function localTemplate(): TemplateJson {
  template ??= synthesizedTemplate();
  return template;
}

export function localDeployment(
  world: Pick<World, 'accountId' | 'region'>,
  tableName: string,
): LocalDeployment {
  return deployTemplate(localTemplate(), { accountId: world.accountId, region: world.region, tableName });
}
