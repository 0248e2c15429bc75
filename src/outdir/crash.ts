/**
 * A test hook: `SLIPWAY_TEST_CRASH_AT=<n>` kills the process with SIGKILL at the n-th step of an
 * output commit (steps are counted from 1 in the order they run), so that a test can prove that
 * the next run restores or finishes the previous state after a crash at any instant.
 * Without the variable, a step costs one comparison.
 */
const at = Number(process.env.SLIPWAY_TEST_CRASH_AT ?? 0);
let step = 0;

/** Marks one step; dies here when this is the step the test asked for. */
export function crashPoint(): void {
  if (at > 0 && ++step === at) process.kill(process.pid, 'SIGKILL');
}
