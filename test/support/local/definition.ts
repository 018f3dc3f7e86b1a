/** The real stack, synthesized once per process and deployed into a world's account and region. */
import type { World } from '../../../lambdas/sim/index.ts';
import { deployTemplate, type LocalDeployment, synthesizedTemplate } from './deployment.ts';
import type { TemplateJson } from './synth.ts';

let template: TemplateJson | undefined;

export function localDeployment(
  world: Pick<World, 'accountId' | 'region'>,
  tableName: string,
): LocalDeployment {
  template ??= synthesizedTemplate();
  return deployTemplate(template, { accountId: world.accountId, region: world.region, tableName });
}
