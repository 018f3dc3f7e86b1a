/**
 * Imported for its effect: every AWS call of a benchmark process is answered by the simulated
 * account, so a socket may reach loopback only (dynalite); anything else throws.
 */
import net from 'node:net';

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function loopbackOnly(this: net.Socket, ...args: unknown[]) {
  const first = args[0] as { host?: string } | number | undefined;
  const host = typeof first === 'object' && first !== null ? (first.host ?? 'localhost') : 'localhost';
  if (!/^(127\.\d+\.\d+\.\d+|::1|localhost)$/.test(host)) {
    throw new Error(`the benchmark must not open network connections (tried ${host})`);
  }
  return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
