import test from 'ava';
import { availabilityFlag, cidrListFlag, nodeAddrFlag, withDefaultPort } from '../../../src/cli/commands/swarm-flags.js';
import { Flags, parseFlags, type FlagDef } from '../../../src/cli/framework/flags.js';

const DEFS: readonly FlagDef[] = [
  { name: 'listen-addr', kind: 'string', usage: '' },
  { name: 'default-addr-pool', kind: 'list', usage: '' },
  { name: 'availability', kind: 'string', usage: '' },
];
const flags = (...argv: string[]) => new Flags(parseFlags(DEFS, argv).flags);

test('node addresses get 0.0.0.0 and port 2377 when left out (opts.ParseTCPAddr)', (t) => {
  const addr = (v: string) => nodeAddrFlag(flags('--listen-addr', v), 'listen-addr');
  t.is(addr('192.168.0.41'), '192.168.0.41:2377');
  t.is(addr(':2378'), '0.0.0.0:2378');
  t.is(addr('eth0:4000'), 'eth0:4000');
  t.is(addr('tcp://10.0.0.1'), '10.0.0.1:2377');
  t.is(addr('[::1]'), '[::1]:2377');
  t.is(nodeAddrFlag(flags(), 'listen-addr'), undefined);
  t.throws(() => addr('10.0.0.1:http'), { message: 'invalid argument "10.0.0.1:http" for "--listen-addr" flag: invalid port: http' });
  t.throws(() => addr('udp://10.0.0.1'), { message: /invalid proto, expected tcp/ });
});

test('address pools: comma lists, repeated flags, masked as Go prints an IPNet', (t) => {
  t.deepEqual(cidrListFlag(flags('--default-addr-pool', '"10.1.2.3/16", 192.168.7.0/20', '--default-addr-pool', '172.16.0.0/12'), 'default-addr-pool'), [
    '10.1.0.0/16',
    '192.168.0.0/20',
    '172.16.0.0/12',
  ]);
  t.is(cidrListFlag(flags(), 'default-addr-pool'), undefined);
  t.throws(() => cidrListFlag(flags('--default-addr-pool', '10.0.0.0/33'), 'default-addr-pool'), { message: /invalid string being converted to CIDR: 10\.0\.0\.0\/33/ });
});

test('availability is lower-cased; unknown words are refused in docker/cli\'s words', (t) => {
  t.is(availabilityFlag(flags('--availability', 'Pause')), 'pause');
  t.throws(() => availabilityFlag(flags('--availability', 'off')), { message: 'invalid availability "off", only active, pause and drain are supported' });
});

test('join commands carry a port', (t) => {
  t.is(withDefaultPort('192.168.0.41'), '192.168.0.41:2377');
  t.is(withDefaultPort('192.168.0.41:2400'), '192.168.0.41:2400');
  t.is(withDefaultPort('[fd00::1]:2377'), '[fd00::1]:2377');
  t.is(withDefaultPort('fd00::1'), '[fd00::1]:2377');
  t.is(withDefaultPort('[fd00::1]'), '[fd00::1]:2377');
});
