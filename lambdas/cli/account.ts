/** The account a command works on: a world file served by the simulator, or AWS itself. */
import { EC2Client } from '@aws-sdk/client-ec2';
import { type AwsClients, createClients } from '../aws/clients.ts';
import { type Identity, readIdentity } from '../aws/identity.ts';
import { SimulatedAccount } from '../sim/account.ts';
import { loadWorld } from '../sim/world.ts';
import { UsageError } from './io.ts';

export interface OpenAccount {
  clients: AwsClients;
  identity: Identity;
  /** Present for `--world`: its clock, and its changed state for `--save-world`. */
  simulated?: SimulatedAccount;
  now: Date;
}

export interface AccountFlags {
  world?: string;
  region?: string;
  profile?: string;
}

export async function openAccount(
  flags: AccountFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<OpenAccount> {
  if (flags.world) {
    if (flags.profile)
      throw new UsageError('--profile cannot be used with --world (a world file needs no credentials).');
    const world = await loadWorld(flags.world);
    if (flags.region && flags.region !== world.region) {
      throw new UsageError(
        `--region ${flags.region} does not match the world file, which is for ${world.region}.`,
      );
    }
    const simulated = new SimulatedAccount(world);
    // The caller is whoever `simulation.callerPolicy` describes (anyone, without one). A world has
    // no rate limit to respect, so retries need no back-off.
    const caller = simulated.cliCaller();
    const clients = createClients({
      region: world.region,
      simulated,
      ...(caller ? { caller } : {}),
      retry: 'immediate',
    });
    return { clients, identity: await readIdentity(clients), simulated, now: simulated.now() };
  }
  const region =
    flags.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (await configuredRegion(flags.profile));
  const clients = createClients({ region, ...(flags.profile ? { profile: flags.profile } : {}) });
  return { clients, identity: await readIdentity(clients), now: new Date() };
}

async function configuredRegion(profile: string | undefined): Promise<string> {
  try {
    return await new EC2Client(profile ? { profile } : {}).config.region();
  } catch {
    throw new UsageError('no AWS region: pass --region, set AWS_REGION, or configure one for the profile.');
  }
}
