/**
 * The agent's settings, from flags over environment, parsed once at start-up. Errors name the
 * flag and what to pass.
 */
import os from "node:os";
import { join, resolve } from "node:path";
import { z } from "zod";

export const agentConfigSchema = z.object({
  coordinatorUrl: z.url({
    protocol: /^https?$/,
    error: "--coordinator must be the coordinator's http(s) URL, e.g. http://127.0.0.1:8080",
  }),
  token: z.string({ error: "--token is required: the enrollment token printed by `npm start`" }).min(1),
  name: z
    .string()
    .min(1, { error: "--name must not be empty" })
    .max(100, { error: "--name must be at most 100 characters" })
    .regex(/^[^\s/]+( [^\s/]+)*$/, { error: "--name must not contain slashes or leading/trailing spaces" }),
  /** where the agent keeps its id */
  stateDir: z.string().min(1, { error: "--state-dir must not be empty" }),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export interface AgentFlags {
  coordinator?: string;
  token?: string;
  name?: string;
  "state-dir"?: string;
}

export function parseAgentConfig(flags: AgentFlags, env: Record<string, string | undefined>): AgentConfig {
  return agentConfigSchema.parse({
    coordinatorUrl: flags.coordinator ?? env.BENCH_COORDINATOR_URL,
    token: flags.token ?? env.BENCH_AGENT_TOKEN,
    name: flags.name ?? env.BENCH_AGENT_NAME ?? os.hostname(),
    stateDir: resolve(flags["state-dir"] ?? env.BENCH_AGENT_STATE_DIR ?? join(os.homedir(), ".bench-race")),
  });
}
