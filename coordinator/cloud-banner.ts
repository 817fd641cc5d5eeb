/** What `serve --cloud` prints: where the API listens, the front door everyone uses, and what the rooms must be given. */
export interface CloudBannerInput {
  /** where this API listens */
  url: string;
  /** the rooms' front door: dashboard, share links and agents */
  publicUrl: string;
  operatorKey: string;
  agentToken: string;
  dataDir: string;
}

export function toCloudBanner(input: CloudBannerInput): string {
  return [
    "",
    `bench-race API is running (cloud mode, data in ${input.dataDir}, listening on ${input.url})`,
    `  Dashboard (operator):  ${input.publicUrl}/login?key=${encodeURIComponent(input.operatorKey)}`,
    `  Agent enrollment token: ${input.agentToken}`,
    `  Add a machine:          npm run agent -- --coordinator ${input.publicUrl} --token ${input.agentToken} --name <machine name>`,
    "  The rooms need BENCH_API_URL (this API as they reach it), BENCH_SINK_SECRET and BENCH_AGENT_KEY_SECRET",
    "  (the same values as here): see docs/deploy.md.",
    "",
  ].join("\n");
}
