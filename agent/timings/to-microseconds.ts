/** Timings are kept to the microsecond: finer digits of a wall clock are noise. */
export const toMicroseconds = (ms: number): number => Math.round(ms * 1000) / 1000;
