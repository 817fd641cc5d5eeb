/** Types of ensure-sieve-worker.mjs, for the TypeScript callers (the sieve bench). */
export function ensureSieveWorker(options?: { outfile?: string; log?: (line: string) => void }): Promise<string>;
