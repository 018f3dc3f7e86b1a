/**
 * IPv4 address and CIDR arithmetic. IPv4 only, on purpose: the agent reaches the SSM services
 * over IPv4 here, so IPv6 rules, routes and ranges are ignored by every network check.
 */

/** The address as an unsigned 32-bit number, or `undefined` when it is not dotted-quad IPv4. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.trim().split('.');
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  const [address, prefixText, extra] = text.trim().split('/');
  if (extra !== undefined || address === undefined || prefixText === undefined) return undefined;
  const base = parseIpv4(address);
  const prefix = /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
  if (base === undefined || !(prefix >= 0 && prefix <= 32)) return undefined;
  return { base: (base & maskOf(prefix)) >>> 0, prefix };
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (~0 << (32 - prefix)) >>> 0;
}

/** Whether `address` lies in `cidr`; false when either is not IPv4. */
export function cidrContains(cidr: string, address: string): boolean {
  const range = parseCidr(cidr);
  const value = parseIpv4(address);
  if (!range || value === undefined) return false;
  return (value & maskOf(range.prefix)) >>> 0 === range.base;
}

/** `0.0.0.0/0`, however it is spelled: the only CIDR sure to hold an unknown internet address. */
export function isWholeInternet(cidr: string): boolean {
  return parseCidr(cidr)?.prefix === 0;
}

// Ranges that never hold the public addresses of AWS regional service endpoints (IANA special-
// purpose registry): RFC 1918, shared address space, loopback, link-local, "this network", IETF
// protocol assignments, the documentation blocks, benchmarking, multicast and reserved.
const NON_PUBLIC = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '192.0.0.0/24',
  '192.0.2.0/24',
  '198.18.0.0/15',
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
];

const NON_PUBLIC_RANGES = NON_PUBLIC.map((text) => parseCidr(text) as Cidr);

/** Whether every address of `cidr` is non-public (private, shared, loopback, link-local, reserved…). */
export function isNonPublicCidr(cidr: string): boolean {
  const range = parseCidr(cidr);
  if (!range) return false;
  return NON_PUBLIC_RANGES.some(
    (outer) => outer.prefix <= range.prefix && (range.base & maskOf(outer.prefix)) >>> 0 === outer.base,
  );
}

/** The Route 53 Resolver of a VPC: the base of its primary IPv4 CIDR plus two. */
export function resolverAddress(vpcCidr: string): string | undefined {
  const range = parseCidr(vpcCidr);
  return range ? formatIpv4(range.base + 2) : undefined;
}
