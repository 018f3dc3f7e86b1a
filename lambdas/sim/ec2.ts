/**
 * The simulated EC2 API: every operation the simulator implements, by SDK operation name.
 * `DryRun: true` on any of them answers `DryRunOperation` (the caller "would have succeeded";
 * the simulator models no permissions of the caller) before anything is read or written.
 */
import type { Handler, Handlers, SimContext } from './context.ts';
import { ec2InstanceHandlers } from './ec2-instances.ts';
import { rejectDryRun } from './ec2-lookup.ts';
import { ec2NetworkHandlers } from './ec2-network.ts';
import { ec2RoutingHandlers } from './ec2-routing.ts';
import { ec2WriteHandlers } from './ec2-writes.ts';

const withDryRun =
  (handler: Handler): Handler =>
  (input: never, ctx: SimContext) => {
    rejectDryRun(input as { DryRun?: boolean });
    return handler(input, ctx);
  };

export const ec2Handlers: Handlers = Object.fromEntries(
  Object.entries({
    ...ec2InstanceHandlers,
    ...ec2NetworkHandlers,
    ...ec2RoutingHandlers,
    ...ec2WriteHandlers,
  }).map(([name, handler]) => [name, withDryRun(handler)]),
);
