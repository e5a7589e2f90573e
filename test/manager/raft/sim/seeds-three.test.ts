// 200 seeds of 3-member clusters, every fault profile (drawn from the seed).
import test from 'ava';
import { passSeeds, range } from './seeds.js';

for (let from = 1; from <= 200; from += 40) {
  test.serial(`3 members, seeds ${from}-${from + 39}`, async (t) => {
    await passSeeds(t, range(from, 40), { members: 3 });
  });
}
