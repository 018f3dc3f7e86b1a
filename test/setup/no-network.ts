/**
 * Every test runs with this: AWS traffic may only go to the simulated account (SDK middleware)
 * or to servers on loopback (dynalite). Anything else fails loudly instead of reaching AWS.
 * Vitest runs it before every test file, in workers that keep running (`isolate: false`): the
 * socket guard is installed once per process, not wrapped around itself once per file.
 */
import net from 'node:net';

process.env.AWS_ACCESS_KEY_ID = 'AKIASIMULATED0000000';
process.env.AWS_SECRET_ACCESS_KEY = 'simulated-secret';
process.env.AWS_REGION ??= 'eu-west-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
delete process.env.AWS_PROFILE;

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost|::ffff:127\.\d+\.\d+\.\d+)$/;
const GUARDED = Symbol.for('ssm-doctor.no-network');
const originalConnect = net.Socket.prototype.connect;

const guardedConnect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string; path?: string } | number | string | undefined;
  const host =
    typeof first === 'object' && first !== null
      ? (first.host ?? (first.path ? 'localhost' : 'localhost'))
      : typeof args[1] === 'string'
        ? args[1]
        : 'localhost';
  if (!LOOPBACK.test(host)) {
    throw new Error(`A test tried to reach the network (${host}); use the simulated account or loopback.`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;

if (!(GUARDED in originalConnect)) {
  Object.defineProperty(guardedConnect, GUARDED, { value: true });
  net.Socket.prototype.connect = guardedConnect;
}
