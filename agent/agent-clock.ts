/**
 * The agent's clock as rooms see it: milliseconds since the Unix epoch, read from the monotonic
 * clock (performance.now from the process's time origin), so a wall-clock jump mid-race moves
 * nothing. Clock answers, start instants and `began_at` stamps all use it.
 */
export const agentClockNow = (): number => performance.timeOrigin + performance.now();
