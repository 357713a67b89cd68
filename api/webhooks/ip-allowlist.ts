import { BlockList, isIPv4, isIPv6 } from 'node:net';

/** An IPv4 peer on a dual-stack socket shows up as `::ffff:a.b.c.d`; it is matched against the IPv4 ranges. */
const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * Whether the peer address falls in one of the CIDR ranges; an empty list allows every address. The address is
 * the TCP peer's: behind a reverse proxy that is the proxy, so list the proxy's range there.
 */
export function addressAllowed(allowlist: readonly string[], address: string | undefined): boolean {
  if (allowlist.length === 0) return true;
  if (!address) return false;
  const ranges = new BlockList();
  for (const cidr of allowlist) {
    const [network, prefix] = cidr.split('/');
    ranges.addSubnet(network, Number(prefix), isIPv6(network) ? 'ipv6' : 'ipv4');
  }
  const ipv4 = IPV4_MAPPED.exec(address)?.[1] ?? (isIPv4(address) ? address : undefined);
  return ipv4 ? ranges.check(ipv4, 'ipv4') : ranges.check(address, 'ipv6');
}
