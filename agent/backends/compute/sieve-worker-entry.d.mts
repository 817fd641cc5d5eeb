/** Types of sieve-worker-entry.mjs, for the TypeScript callers (the worker pool, the backend). */
export const sieveWorkerSource: string;
export const sieveWorkerBundle: string;
export function sieveKernelHash(): string;
export function sieveBundleBanner(hash: string): string;
export function sieveWorkerBundleIsFresh(): boolean;
