/**
 * Local mode's settings, from flags over environment over defaults, parsed once at start-up
 * and passed down. Nothing else reads process.env.
 */
import { resolve } from "node:path";
import { z } from "zod";

export const serveConfigSchema = z.object({
  port: z.coerce
    .number({ error: "--port (PORT) must be a number" })
    .int({ error: "--port (PORT) must be a whole number" })
    .min(0, { error: "--port (PORT) must be 0..65535" })
    .max(65_535, { error: "--port (PORT) must be 0..65535" })
    .default(8080),
  host: z.string().min(1, { error: "--host (HOST) must not be empty" }).default("127.0.0.1"),
  dataDir: z.string().min(1, { error: "--data-dir (BENCH_DATA_DIR) must not be empty" }).default("data"),
  /** the secret for every changing API call; created once in the data dir when not given */
  operatorKey: z.string().min(16, { error: "BENCH_OPERATOR_KEY must be at least 16 characters" }).optional(),
  /** the secret agents present; created once in the data dir when not given */
  agentToken: z.string().min(16, { error: "BENCH_AGENT_TOKEN must be at least 16 characters" }).optional(),
  /** the secret agent keys are derived from; created once in the data dir when not given */
  agentKeySecret: z.string().min(32, { error: "BENCH_AGENT_KEY_SECRET must be at least 32 characters" }).optional(),
  /** origin used in share links; defaults to http://host:port */
  publicUrl: z
    .url({ error: "--public-url (BENCH_PUBLIC_URL) must be a URL like https://bench.example.org" })
    .optional(),
  /** run an agent for this machine inside the server process */
  embeddedAgent: z.boolean().default(true),
  /** folder of the built web app */
  webDir: z.string().default("web/dist"),
  /** cloud mode: the API and database only, for rooms hosted on PartyKit */
  cloud: z.boolean().default(false),
  /** cloud mode: where the rooms are (the PartyKit deployment or `partykit dev`) */
  roomsUrl: z.url({ error: "BENCH_ROOMS_URL must be a URL like https://bench-race.you.partykit.dev" }).optional(),
  /** cloud mode: the secret rooms and API share for control and sinks */
  sinkSecret: z.string().min(32, { error: "BENCH_SINK_SECRET must be at least 32 characters" }).optional(),
  /** DATABASE_URL: unset for SQLite in the data dir, file:PATH or libsql://HOST for libSQL (db/database-url.ts) */
  databaseUrl: z.string().optional(),
  /** DATABASE_AUTH_TOKEN: the managed libSQL database's token */
  databaseAuthToken: z.string().optional(),
  /** how log lines look: text for a terminal, json (one object a line) for a service */
  logFormat: z.enum(["text", "json"], { error: "BENCH_LOG_FORMAT must be text or json" }).default("text"),
  /** how long a disconnected agent has to come back before its running lanes are lost */
  agentLostS: z.coerce
    .number({ error: "BENCH_AGENT_LOST_S must be a number of seconds" })
    .min(1, { error: "BENCH_AGENT_LOST_S must be 1..3600 seconds" })
    .max(3600, { error: "BENCH_AGENT_LOST_S must be 1..3600 seconds" })
    .default(60),
});
export type ServeConfig = z.infer<typeof serveConfigSchema>;

export interface ServeFlags {
  port?: string;
  host?: string;
  "data-dir"?: string;
  "public-url"?: string;
  "no-agent"?: boolean;
  cloud?: boolean;
}

export function parseServeConfig(flags: ServeFlags, env: Record<string, string | undefined>): ServeConfig {
  const config = serveConfigSchema.parse({
    port: flags.port ?? env.PORT,
    host: flags.host ?? env.HOST,
    dataDir: flags["data-dir"] ?? env.BENCH_DATA_DIR,
    operatorKey: env.BENCH_OPERATOR_KEY || undefined,
    agentToken: env.BENCH_AGENT_TOKEN || undefined,
    agentKeySecret: env.BENCH_AGENT_KEY_SECRET || undefined,
    publicUrl: flags["public-url"] ?? (env.BENCH_PUBLIC_URL || undefined),
    embeddedAgent: !flags["no-agent"] && !flags.cloud,
    cloud: flags.cloud ?? false,
    roomsUrl: env.BENCH_ROOMS_URL || undefined,
    sinkSecret: env.BENCH_SINK_SECRET || undefined,
    logFormat: env.BENCH_LOG_FORMAT || undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    agentLostS: env.BENCH_AGENT_LOST_S || undefined,
  });
  if (config.cloud && (!config.roomsUrl || !config.sinkSecret)) {
    throw new Error(
      "serve --cloud needs BENCH_ROOMS_URL (the PartyKit URL of the rooms) and BENCH_SINK_SECRET (the same secret the rooms have); see docs/deploy.md.",
    );
  }
  return { ...config, dataDir: resolve(config.dataDir), webDir: resolve(config.webDir) };
}
