/** The simulated STS API: GetCallerIdentity answers as a role session in the world's account. */
import type { Handlers, SimContext } from './context.ts';
import { iamUniqueId } from './ids.ts';

const ROLE = 'ssm-doctor-simulated';
const SESSION = 'simulated-session';

function getCallerIdentity(_input: object, ctx: SimContext) {
  return {
    UserId: `${iamUniqueId('AROA', `${ctx.accountId}|${ROLE}`)}:${SESSION}`,
    Account: ctx.accountId,
    Arn: `arn:${ctx.partition}:sts::${ctx.accountId}:assumed-role/${ROLE}/${SESSION}`,
  };
}

export const stsHandlers: Handlers = { GetCallerIdentity: getCallerIdentity };
