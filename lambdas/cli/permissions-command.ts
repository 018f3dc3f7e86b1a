/** `ssm-doctor permissions [--fix] [--record]`: the generated least-privilege policy, as JSON. */
import { cliPolicy } from '../engine/permissions.ts';
import { type CliIo, EXIT, UsageError } from './io.ts';

const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];

export function runPermissions(
  flags: { fix?: boolean; record?: boolean; partition: string },
  io: CliIo,
): number {
  if (!PARTITIONS.includes(flags.partition)) {
    throw new UsageError(`--partition: expected one of ${PARTITIONS.join(', ')}, got "${flags.partition}".`);
  }
  io.stdout(
    `${JSON.stringify(cliPolicy({ fix: flags.fix ?? false, record: flags.record ?? false, partition: flags.partition }), null, 2)}\n`,
  );
  return EXIT.clean;
}
