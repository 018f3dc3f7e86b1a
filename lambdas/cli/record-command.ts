/** `ssm-doctor record --out FILE`: snapshot an account as a world file (read calls only). */
import { writeFile } from 'node:fs/promises';
import { recordWorld } from '../aws/record.ts';
import { openAccount } from './account.ts';
import { type CliIo, EXIT } from './io.ts';

export async function runRecord(
  flags: { out: string; region?: string; profile?: string; world?: string },
  io: CliIo,
): Promise<number> {
  const account = await openAccount(flags, io.env);
  const world = await recordWorld(account.clients, account.identity, account.now);
  await writeFile(flags.out, `${JSON.stringify(world, null, 2)}\n`);
  io.stderr(
    `Recorded ${world.ec2.Instances.length} instances in ${world.accountId}/${world.region} to ${flags.out}\n`,
  );
  return EXIT.clean;
}
