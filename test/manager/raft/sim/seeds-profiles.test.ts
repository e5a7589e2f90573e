// Each fault profile on 3 and 5 members, plus seeds whose whole setup (size,
// profile, pre-vote, check-quorum, snapshot interval) is drawn from the seed.
import test from 'ava';
import { PROFILES } from '../../../../src/manager/raft/sim/options.js';
import { passSeeds, range } from './seeds.js';

for (const profile of PROFILES) {
  test.serial(`profile ${profile}: 3 and 5 members`, async (t) => {
    await passSeeds(t, range(2001, 12), { profile, members: 3 });
    await passSeeds(t, range(2013, 12), { profile, members: 5 });
  });
}

test.serial('everything drawn from the seed: seeds 1001-1200', async (t) => {
  await passSeeds(t, range(1001, 200));
});
