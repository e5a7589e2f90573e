// When failures trigger the FailureAction (swarmkit updater.go Run):
//
//   float32(totalFailures)/float32(len(dirtySlots)) > updateConfig.MaxFailureRatio
//
// so the denominator is every slot the update set out to replace (not only
// those replaced so far), the comparison is strict, and it is done in
// float32: ratio 0 triggers on the first failure, 0.5 tolerates 1 failure
// of 2 slots, and a ratio of exactly failures/slots does not trigger.

/** Whether `failures` of `slots` exceed `maxRatio`, with swarmkit's float32 arithmetic. */
export function exceedsFailureRatio(failures: number, slots: number, maxRatio: number): boolean {
  const f = Math.fround;
  // float32 division through float64 then rounding is exact (53 >= 2*24+2 bits).
  return f(f(failures) / f(Math.max(slots, 1))) > f(maxRatio);
}
