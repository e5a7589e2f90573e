// The updater's clock is the manager's (src/manager/clock.ts).
export type { Clock } from '../clock.js';
export { systemClock } from '../clock.js';
