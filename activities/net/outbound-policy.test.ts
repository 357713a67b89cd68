import { allowEntryProblem, createOutboundPolicy, ipLiteralOf } from './outbound-policy';

describe('the outbound policy', () => {
  const policy = createOutboundPolicy();

  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    [new URL('http://[::127.0.0.1]/').hostname.slice(1, -1), 'loopback'],
    ['::a9fe:a9fe', 'cloud metadata'],
    ['::a00:1', 'private'],
    ['::5', 'unspecified'],
    ['10.0.0.1', 'private'],
    ['10.255.255.254', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.1', 'private'],
    ['192.168.1.1', 'private'],
    ['fc00::1', 'private (unique local)'],
    ['169.254.1.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['169.254.169.254', 'cloud metadata'],
    ['fd00:ec2::254', 'cloud metadata'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['64:ff9b::a00:1', 'NAT64 (embeds an IPv4 address)'],
    ['2002:a00:1::1', '6to4 (embeds an IPv4 address)'],
    ['240.0.0.1', 'reserved'],
  ])('refuses %s as %s', (address, reason) => {
    expect(policy.refusalOf(address)).toBe(reason);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '2001:4860:4860::8888'])('lets public %s through', (address) => {
    expect(policy.refusalOf(address)).toBeUndefined();
  });

  it('re-opens allowlisted ranges, addresses and hostnames only', () => {
    const allowing = createOutboundPolicy(['10.1.0.0/16', '127.0.0.1', 'Internal.Example', 'fd00::/8']);
    expect(allowing.refusalOf('10.1.200.3')).toBeUndefined();
    expect(allowing.refusalOf('10.2.0.1')).toBe('private');
    expect(allowing.refusalOf('127.0.0.1')).toBeUndefined();
    expect(allowing.refusalOf('::ffff:127.0.0.1')).toBeUndefined();
    expect(allowing.refusalOf('127.0.0.2')).toBe('loopback');
    expect(allowing.refusalOf('fd00:ec2::254')).toBeUndefined();
    expect(allowing.allowsHost('internal.example')).toBe(true);
    expect(allowing.allowsHost('other.example')).toBe(false);
    expect(policy.allowsHost('internal.example')).toBe(false);
  });

  it('names what is wrong with an allowlist entry', () => {
    expect(allowEntryProblem('10.0.0.0/8')).toBeUndefined();
    expect(allowEntryProblem('localhost')).toBeUndefined();
    expect(allowEntryProblem('10.0.0.0/99')).toMatch(/"10.0.0.0\/99" is not a CIDR range/);
    expect(allowEntryProblem('http://x')).toMatch(/not a CIDR range, an IP address or a hostname/);
    expect(() => createOutboundPolicy(['bad host'])).toThrow(/"bad host"/);
  });

  it('reads IP literals out of URL hostnames', () => {
    expect(ipLiteralOf(new URL('http://[::1]:8080/').hostname)).toBe('::1');
    expect(ipLiteralOf(new URL('http://2130706433/').hostname)).toBe('127.0.0.1');
    expect(ipLiteralOf(new URL('http://0x7f.1/').hostname)).toBe('127.0.0.1');
    expect(ipLiteralOf('example.com')).toBeUndefined();
  });
});
