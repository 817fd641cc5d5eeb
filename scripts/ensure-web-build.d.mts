/** Types of ensure-web-build.mjs, for the TypeScript callers (the e2e set-up). */
export function webBuildIsStale(): boolean;
export function ensureWebBuild(options?: { log?: (line: string) => void }): void;
