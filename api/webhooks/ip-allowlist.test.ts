import { addressAllowed } from './ip-allowlist';

test('an empty allowlist admits everyone; otherwise only addresses inside a listed range', () => {
  expect(addressAllowed([], '203.0.113.9')).toBe(true);
  const list = ['10.0.0.0/8', '192.168.1.0/24', '2001:db8::/32'];
  expect(addressAllowed(list, '10.200.3.4')).toBe(true);
  expect(addressAllowed(list, '192.168.1.255')).toBe(true);
  expect(addressAllowed(list, '192.168.2.1')).toBe(false);
  expect(addressAllowed(list, '2001:db8:1::5')).toBe(true);
  expect(addressAllowed(list, '2001:db9::5')).toBe(false);
  expect(addressAllowed(list, undefined)).toBe(false);
});

test('an IPv4 peer seen through a dual-stack socket is matched against the IPv4 ranges', () => {
  expect(addressAllowed(['127.0.0.0/8'], '::ffff:127.0.0.1')).toBe(true);
  expect(addressAllowed(['10.0.0.0/8'], '::ffff:127.0.0.1')).toBe(false);
});
