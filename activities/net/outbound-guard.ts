import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { Socket, type LookupFunction } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ApplicationFailure } from '@temporalio/activity';
import { createOutboundPolicy, ipLiteralOf, parseAddress } from './outbound-policy';

/**
 * The outbound policy applied to a connection about to be opened, whatever speaks over it (HTTP, the PostgreSQL
 * protocol). The host is resolved once, every address is judged, and the socket is then connected to exactly the
 * addresses judged: there is no second lookup a rebinding DNS server could answer differently.
 */

/** A service of the installation itself (its database, Temporal) that no node reaches, whatever the allowlist says. */
export interface ProtectedEndpoint {
  /** Named in the refusal, e.g. "the application's database". */
  name: string;
  host: string;
  port: number;
  /** How the refusal tells an operator to lift it, when it can be lifted at all. */
  howToAllow?: string;
}

export interface OutboundRules {
  /** CIDR ranges, IP addresses and hostnames that may be reached although the policy would refuse them. */
  allow?: readonly string[];
  /** Refused even when `allow` covers their address. */
  protect?: readonly ProtectedEndpoint[];
}

export interface OutboundGuard {
  /** The addresses `host` resolves to, each allowed for `port`; throws a refusal, or the DNS error, otherwise. */
  vet(host: string, port: number): Promise<LookupAddress[]>;
  /** A TCP socket whose `connect(port, host)` reaches only vetted addresses (pg's `stream` option takes it). */
  socket(): Socket;
}

export const OUTBOUND_REFUSED = 'OutboundRequestRefused';

export function createOutboundGuard(rules: OutboundRules = {}): OutboundGuard {
  const policy = createOutboundPolicy(rules.allow);
  const guard: OutboundGuard = {
    async vet(host, port) {
      const literal = ipLiteralOf(host);
      const addresses = literal === undefined ? await lookup(host, { all: true }) : [addressOf(literal)];
      const allowedByName = literal === undefined && policy.allowsHost(host);
      for (const { address } of addresses) {
        const reason = allowedByName ? undefined : policy.refusalOf(address);
        if (reason) throw refusedAddress(host, address, reason);
        const endpoint = await protectedEndpointAt(rules.protect ?? [], address, port);
        if (endpoint) {
          throw refused(`outbound connection to ${host}:${port} refused: it is ${endpoint.name}, which nodes never reach${endpoint.howToAllow ? ` (${endpoint.howToAllow})` : ''}`);
        }
      }
      return addresses;
    },
    socket: () => new GuardedSocket(guard),
  };
  return guard;
}

/** A lookup that answers with addresses already vetted, whatever name it is asked about. */
export function vettedLookup(addresses: LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  };
}

/** An IP literal is connected to in the form it was judged in (::7f00:1 as 127.0.0.1, 0x7f.1 as 127.0.0.1). */
function addressOf(literal: string): LookupAddress {
  const address = parseAddress(literal) as NonNullable<ReturnType<typeof parseAddress>>;
  return { address: address.toString(), family: address.kind() === 'ipv4' ? 4 : 6 };
}

/**
 * A protected endpoint on this machine (loopback, or any of its own interfaces) is reached through every local
 * address; elsewhere, through the addresses its host resolves to.
 */
async function protectedEndpointAt(endpoints: readonly ProtectedEndpoint[], address: string, port: number): Promise<ProtectedEndpoint | undefined> {
  for (const endpoint of endpoints.filter((candidate) => candidate.port === port)) {
    const literal = ipLiteralOf(endpoint.host);
    const known = literal === undefined ? await lookup(endpoint.host, { all: true }).catch(() => []) : [addressOf(literal)];
    const local = known.some((entry) => isLocal(entry.address));
    if (local ? isLocal(address) : known.some((entry) => entry.address === addressOf(address).address)) return endpoint;
  }
  return undefined;
}

function isLocal(text: string): boolean {
  const address = parseAddress(text);
  if (!address) return false;
  if (address.range() === 'loopback' || address.range() === 'unspecified') return true;
  const own = Object.values(networkInterfaces()).flatMap((entries) => entries ?? []);
  return own.some((entry) => parseAddress(entry.address)?.toString() === address.toString());
}

export function refusedAddress(host: string, address: string, reason: string): ApplicationFailure {
  return refused(`outbound request to ${host} refused: ${address} is not a public address (${reason}); allow it with KAI_OUTBOUND_ALLOW if it is meant to be reached`);
}

export function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ message, type: OUTBOUND_REFUSED, nonRetryable: true });
}

/** A refusal travels out of undici or pg as the cause of their own error; it is found and rethrown as is. */
export function refusalIn(error: unknown): ApplicationFailure | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof ApplicationFailure && current.type === OUTBOUND_REFUSED) return current;
  }
  return undefined;
}

/**
 * pg calls `connect(port, host)`, or `connect(path)` for a Unix socket, which no node may use: a socket path is not
 * a network address the policy can judge, and the service's own database may listen on one.
 */
class GuardedSocket extends Socket {
  constructor(private readonly guard: OutboundGuard) {
    super();
  }

  override connect(...args: unknown[]): this {
    const [port, host] = args;
    if (typeof host !== 'string' || typeof port !== 'number') {
      process.nextTick(() => this.destroy(refused(`outbound connection to ${String(port)} refused: only host and port can be reached, not a Unix socket path`)));
      return this;
    }
    this.guard.vet(host, port).then(
      (addresses) => {
        if (!this.destroyed) super.connect({ port, host, lookup: vettedLookup(addresses) });
      },
      (error: Error) => this.destroy(error),
    );
    return this;
  }
}
