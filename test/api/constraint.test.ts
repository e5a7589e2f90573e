// Placement constraints: swarmkit's grammar (manager/constraint/constraint_test.go
// cases), a typed result, and matching against a node.
import test from 'ava';
import { constraintMatches, constraintsMatch, parseConstraint, parseConstraints, type NodeFacts } from '../../src/api/constraint.js';

function parsed(expression: string) {
  const r = parseConstraint(expression);
  if (!r.ok) throw new Error(r.error);
  return r.constraint;
}

test('the seeds\' constraints parse into typed keys', (t) => {
  t.deepEqual(parsed('node.hostname==docker03'), {
    expression: 'node.hostname==docker03',
    key: { kind: 'node.hostname' },
    operator: '==',
    value: 'docker03',
  });
  t.deepEqual(parsed('node.labels.mem==max').key, { kind: 'node.labels', label: 'mem' });
  t.deepEqual(parsed(' node.role != manager ').operator, '!=');
  t.is(parsed(' node.role != manager ').value, 'manager');
  t.deepEqual(parsed('engine.labels.provider==generic').key, { kind: 'engine.labels', label: 'provider' });
  t.deepEqual(parsed('NODE.Labels.Zone==a').key, { kind: 'node.labels', label: 'Zone' }); // keys fold, labels keep case
  t.deepEqual(parsed('node.platform.os==linux').key, { kind: 'node.platform.os' });
  t.deepEqual(parsed('node.platform.arch==x86_64').key, { kind: 'node.platform.arch' });
  t.deepEqual(parsed('node.id==ynz304mbltxx10v3i15ldkmj1').key, { kind: 'node.id' });
  t.deepEqual(parsed('node.ip==10.0.0.0/24').key, { kind: 'node.ip' });
  t.is(parsed('node.labels.x==[a-b]+c*(n|b)/').value, '[a-b]+c*(n|b)/');
  t.is(parsed('node.labels.x==node 1').value, 'node 1');
});

test('bad expressions are refused, naming the expression', (t) => {
  const refused: Array<[string, string]> = [
    ['node.labels.mem=max', 'invalid constraint "node.labels.mem=max": constraint expected one operator from ==, !='],
    ['', 'invalid constraint "": constraint expected one operator from ==, !='],
    ['node ~ abc', 'invalid constraint "node ~ abc": constraint expected one operator from ==, !='],
    ['1node==a2', `invalid constraint "1node==a2": key '1node' is invalid`],
    ['no de==node1', `invalid constraint "no de==node1": key 'no de' is invalid`],
    ['no*de==node1', `invalid constraint "no*de==node1": key 'no*de' is invalid`],
    ['==node1', `invalid constraint "==node1": key '' is invalid`],
    ['node.hostname==', `invalid constraint "node.hostname==": value '' is invalid`],
    ['node.hostname== ', `invalid constraint "node.hostname== ": value '' is invalid`],
    ['node.hostname==a>b', `invalid constraint "node.hostname==a>b": value 'a>b' is invalid`],
    ['node.name==foo', `invalid constraint "node.name==foo": key 'node.name' is not one of node.id, node.hostname, node.ip, node.role, node.platform.os, node.platform.arch, node.labels.<label>, engine.labels.<label>`],
    ['node.labels.==x', `invalid constraint "node.labels.==x": key 'node.labels.' is not one of node.id, node.hostname, node.ip, node.role, node.platform.os, node.platform.arch, node.labels.<label>, engine.labels.<label>`],
    ['node.ip==foo', `invalid constraint "node.ip==foo": value 'foo' is not an IP address or a subnet such as 10.0.0.0/24`],
    ['node.ip==10.0.0.0/33', `invalid constraint "node.ip==10.0.0.0/33": value '10.0.0.0/33' is not an IP address or a subnet such as 10.0.0.0/24`],
    ['node.role==boss', `invalid constraint "node.role==boss": value 'boss' is not a node role (manager or worker)`],
  ];
  for (const [expression, error] of refused) t.deepEqual(parseConstraint(expression), { ok: false, error }, expression);
  t.deepEqual(parseConstraints(['node.role==worker', 'oops']), {
    ok: false,
    index: 1,
    error: 'invalid constraint "oops": constraint expected one operator from ==, !=',
  });
});

const node: NodeFacts = {
  id: 'tzkm0ymzjdmc1r8d54snievf1',
  hostname: 'docker02',
  addr: '192.168.61.130',
  role: 'worker',
  os: 'linux',
  arch: 'x86_64',
  nodeLabels: { mem: 'max', Zone: 'a' },
  engineLabels: { provider: 'generic' },
};

test('matching compares values case-insensitively; a missing label reads as empty', (t) => {
  t.true(constraintMatches(parsed('node.hostname==DOCKER02'), node));
  t.false(constraintMatches(parsed('node.hostname==docker03'), node));
  t.true(constraintMatches(parsed('node.hostname!=docker03'), node));
  t.true(constraintMatches(parsed('node.labels.mem==max'), node));
  t.false(constraintMatches(parsed('node.labels.zone==a'), node)); // label names are case-sensitive
  t.true(constraintMatches(parsed('node.labels.disk!=ssd'), node));
  t.false(constraintMatches(parsed('node.labels.disk==ssd'), node));
  t.true(constraintMatches(parsed('node.role==Worker'), node));
  t.true(constraintMatches(parsed('engine.labels.provider==generic'), node));
  t.true(constraintMatches(parsed('node.platform.os==linux'), node));
  t.true(constraintMatches(parsed('node.ip==192.168.61.0/24'), node));
  t.true(constraintMatches(parsed('node.ip==192.168.61.130'), node));
  t.false(constraintMatches(parsed('node.ip!=192.168.61.0/24'), node));
  t.true(constraintMatches(parsed('node.ip!=2001:db8::/32'), node));
  t.false(constraintMatches(parsed('node.labels.x==f*o'), { ...node, nodeLabels: { x: 'foo' } })); // no globbing
  const all = parseConstraints(['node.role==worker', 'node.labels.mem==max']);
  t.true(all.ok && constraintsMatch(all.constraints, node));
  const none = parseConstraints(['node.role==worker', 'node.labels.mem==min']);
  t.true(none.ok && !constraintsMatch(none.constraints, node));
});
