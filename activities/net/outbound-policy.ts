import ipaddr from 'ipaddr.js';

/**
 * Which addresses a node may reach. Only globally routable unicast addresses are reachable by default: loopback,
 * private, link-local, cloud metadata, carrier-grade NAT, multicast, reserved and the IPv6 ranges that embed an IPv4
 * address (NAT64, 6to4, Teredo) are refused, since any of them can lead back into the worker's own network.
 * The server's allowlist (KAI_OUTBOUND_ALLOW) re-opens CIDR ranges, single addresses or exact hostnames.
 */

/** Cloud instance metadata endpoints (AWS, GCP, Azure, …): named in refusals, since reaching one is the classic SSRF. */
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254']);

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export interface OutboundPolicy {
  /** Why the address may not be reached (e.g. "loopback"), or undefined when it may. */
  refusalOf(address: string): string | undefined;
  /** An allowlisted hostname is reached at whatever it resolves to. */
  allowsHost(hostname: string): boolean;
}

/** What is wrong with one allowlist entry, or undefined when it is a CIDR range, an IP address or a hostname. */
export function allowEntryProblem(entry: string): string | undefined {
  if (ipaddr.isValidCIDR(entry) || ipaddr.isValid(entry) || HOSTNAME.test(entry.toLowerCase())) return undefined;
  return `"${entry}" is not a CIDR range, an IP address or a hostname`;
}

export function createOutboundPolicy(allow: readonly string[] = []): OutboundPolicy {
  const ranges: Range[] = [];
  const hosts = new Set<string>();
  for (const entry of allow) {
    const problem = allowEntryProblem(entry);
    if (problem) throw new Error(`outbound allowlist: ${problem}`);
    if (ipaddr.isValidCIDR(entry)) ranges.push(normalisedRange(ipaddr.parseCIDR(entry)));
    else if (ipaddr.isValid(entry)) {
      const address = parseAddress(entry) as ipaddr.IPv4 | ipaddr.IPv6;
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else hosts.add(entry.toLowerCase());
  }
  return {
    refusalOf(text) {
      const address = parseAddress(text);
      if (!address) return 'not an IP address';
      if (ranges.some(([network, bits]) => address.kind() === network.kind() && address.match(network, bits))) return undefined;
      if (METADATA_ADDRESSES.has(address.toString())) return 'cloud metadata';
      const range = address.range();
      return range === 'unicast' ? undefined : RANGE_NAMES[range] ?? range;
    },
    allowsHost: (hostname) => hosts.has(hostname.toLowerCase()),
  };
}

/** An IP literal as it appears in a URL's hostname (IPv6 in brackets), or undefined for a name. */
export function ipLiteralOf(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  return ipaddr.isValid(bare) ? bare : undefined;
}

/**
 * IPv6 addresses that carry an IPv4 address in their last 32 bits, the mapped (::ffff:127.0.0.1) and the deprecated
 * IPv4-compatible form (::7f00:1, what a URL makes of [::127.0.0.1]), are judged as the IPv4 address they carry.
 */
export function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!ipaddr.isValid(text)) return undefined;
  const address = ipaddr.process(text);
  if (address.kind() === 'ipv4') return address;
  const parts = (address as ipaddr.IPv6).parts;
  const compatible = parts.slice(0, 6).every((part) => part === 0) && !(parts[6] === 0 && parts[7] <= 1);
  return compatible ? ipaddr.fromByteArray((address as ipaddr.IPv6).toByteArray().slice(12)) : address;
}

function normalisedRange([network, bits]: Range): Range {
  if (network.kind() === 'ipv6' && (network as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(network as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [network, bits];
}

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback',
  private: 'private',
  uniqueLocal: 'private (unique local)',
  linkLocal: 'link-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  broadcast: 'broadcast',
  carrierGradeNat: 'carrier-grade NAT',
  rfc6052: 'NAT64 (embeds an IPv4 address)',
  '6to4': '6to4 (embeds an IPv4 address)',
  teredo: 'Teredo (embeds an IPv4 address)',
  ipv4Mapped: 'IPv4-mapped',
};
