import test from 'ava';
import { identityFromLabels, isSafeTaskId, taskName } from '../../../src/agent/runtime/labels.js';

test('identity from labels needs all four', (t) => {
  const labels = { 'com.shoal.task.id': 't', 'com.shoal.service.id': 's', 'com.shoal.service.name': 'web', 'com.shoal.node.id': 'n' };
  t.deepEqual(identityFromLabels(labels), { taskId: 't', serviceId: 's', serviceName: 'web', nodeId: 'n' });
  t.is(identityFromLabels({ 'com.shoal.task.id': 't' }), undefined);
  t.is(identityFromLabels(undefined), undefined);
});

test('task names and safe ids', (t) => {
  t.is(taskName({ serviceName: 'web', slot: 1, nodeId: 'n', taskId: 't' }), 'web.1.t');
  t.is(taskName({ serviceName: 'web', nodeId: 'n', taskId: 't' }), 'web.n.t');
  t.true(isSafeTaskId('x9t2kl0b7mpq4r8w1n6v3c5zd'));
  for (const bad of ['', '../x', 'a/b', '.hidden', 'a b']) t.false(isSafeTaskId(bad), bad);
});
