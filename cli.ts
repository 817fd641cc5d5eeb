/**
 * The `bench-race` command: `serve` (local mode, with an embedded agent) and `agent` (dial out
 * to a coordinator). One top-level catch turns every start-up error into a message and exit 1.
 */
import { existsSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { z } from "zod";
import { defaultEngineUrls, parseAgentConfig, parseEngineFlags } from "./agent/agent-config.ts";
import { checkCoordinator } from "./agent/check-coordinator.ts";
import { startAgent } from "./agent/start-agent.ts";
import { startCloud } from "./coordinator/cloud.ts";
import { toCloudBanner } from "./coordinator/cloud-banner.ts";
import { startLocal } from "./coordinator/local.ts";
import { createLogger, type LogFormat, type Logger } from "./coordinator/protocol/logger.ts";
import { toServeBanner } from "./coordinator/serve-banner.ts";
import { parseServeConfig, type ServeConfig } from "./coordinator/serve-config.ts";
import { runDoctor, toDoctorReport } from "./ops/doctor.ts";
import { runService } from "./ops/service.ts";
import pkg from "./package.json" with { type: "json" };

const usage = `Usage:
  bench-race serve [--port 8080] [--host 127.0.0.1] [--data-dir data] [--public-url URL] [--no-agent] [engines]
  bench-race serve --cloud       the API and database only, for rooms on PartyKit (BENCH_ROOMS_URL, BENCH_SINK_SECRET)
  bench-race agent --coordinator http://HOST:PORT --token TOKEN [--name NAME] [--state-dir DIR] [engines]
  bench-race service start|stop|status [coordinator|agent] [--dir DIR] [--json] [-- serve or agent options]
  bench-race doctor [--port 8080] [--host 127.0.0.1] [--data-dir data] [--coordinator URL] [--json] [engines]

Engines (the agent always offers compute and the mock engine; with no flags it probes Ollama at
127.0.0.1:11434 and LM Studio at 127.0.0.1:1234 and offers what answers):
  --ollama-url URL     race this Ollama
  --openai-url URL     race this OpenAI-compatible server (llama.cpp's llama-server, vLLM, LM Studio)
  --gguf-dir DIR       race the GGUF files in DIR with the embedded llama.cpp (npm run llamacpp:install)
  --llamacpp-threads N CPU threads of the embedded llama.cpp (default: the machine's math cores)
  --powermetrics       macOS: measure Apple CPU/GPU energy with powermetrics (run the agent as root)
  --comfyui-url URL    race this ComfyUI (image races)
  --comfyui-checkpoints DIR  ComfyUI's models/checkpoints folder: the operator's listed checkpoints are downloaded there

Environment: PORT, HOST, BENCH_DATA_DIR, BENCH_OPERATOR_KEY, BENCH_AGENT_TOKEN, BENCH_PUBLIC_URL,
BENCH_AGENT_KEY_SECRET, BENCH_ROOMS_URL, BENCH_SINK_SECRET, BENCH_LOG_FORMAT (text or json),
BENCH_COORDINATOR_URL, BENCH_AGENT_NAME, BENCH_AGENT_STATE_DIR, BENCH_OLLAMA_URL, BENCH_OPENAI_URL,
BENCH_GGUF_DIR, BENCH_LLAMACPP_THREADS, BENCH_COMFYUI_URL, BENCH_COMFYUI_CHECKPOINTS.`;

/** where the coordinator listens and keeps its data: `serve` and `doctor` take the same */
const listenOptions = {
  port: { type: "string" },
  host: { type: "string" },
  "data-dir": { type: "string" },
} as const;

const engineOptions = {
  "ollama-url": { type: "string" },
  "openai-url": { type: "string" },
  "gguf-dir": { type: "string" },
  "llamacpp-threads": { type: "string" },
  powermetrics: { type: "boolean" },
  "comfyui-url": { type: "string" },
  "comfyui-checkpoints": { type: "string" },
} as const;

/** on Ctrl-C or SIGTERM: `close`, then exit 0 */
function stopOnSignal(close: () => Promise<void>): void {
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...listenOptions,
      "public-url": { type: "string" },
      "no-agent": { type: "boolean" },
      cloud: { type: "boolean" },
      ...engineOptions,
    },
  });
  const config = parseServeConfig(values, process.env);
  const log = createLogger("serve", { format: config.logFormat });
  if (config.cloud) return serveCloud(config, log);
  const server = await startLocal(config, log);
  const agent = config.embeddedAgent
    ? await startAgent(
        {
          coordinatorUrl: server.url,
          token: server.agentToken,
          name: os.hostname(),
          stateDir: config.dataDir,
          engines: parseEngineFlags(values, process.env),
        },
        createLogger("agent", { format: config.logFormat }),
      )
    : null;
  process.stdout.write(
    toServeBanner({
      url: server.url,
      host: config.host,
      port: Number(new URL(server.url).port),
      publicUrl: config.publicUrl,
      operatorKey: server.operatorKey,
      agentToken: server.agentToken,
      dataDir: config.dataDir,
      embeddedAgent: agent ? `${os.hostname()} (${agent.agentId})` : null,
      interfaces: os.networkInterfaces(),
    }),
  );
  stopOnSignal(async () => {
    await agent?.close();
    await server.close();
  });
}

async function serveCloud(config: ServeConfig, log: Logger): Promise<void> {
  const server = await startCloud(config, log);
  process.stdout.write(
    toCloudBanner({
      url: server.url,
      publicUrl: server.publicUrl,
      operatorKey: server.operatorKey,
      agentToken: server.agentToken,
      dataDir: config.dataDir,
    }),
  );
  stopOnSignal(() => server.close());
}

async function agent(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      coordinator: { type: "string" },
      token: { type: "string" },
      name: { type: "string" },
      "state-dir": { type: "string" },
      help: { type: "boolean" },
      ...engineOptions,
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = parseAgentConfig(values, process.env);
  const log = createLogger(`agent:${config.name}`, { format: logFormatOf(process.env) });
  await checkCoordinator(config.coordinatorUrl);
  const running = await startAgent(config, log);
  await running.connection.welcomed;
  process.stdout.write(`Agent ${config.name} (${running.agentId}) is connected to ${config.coordinatorUrl}\n`);
  stopOnSignal(() => running.close());
}

const logFormatOf = (env: Record<string, string | undefined>): LogFormat =>
  env.BENCH_LOG_FORMAT === "json" ? "json" : "text";

async function service(args: string[]): Promise<void> {
  process.exitCode = await runService(args, {
    commandOf: (target, passed) => ({
      command: process.execPath,
      args: [
        fileURLToPath(new URL("./bin/bench-race.mjs", import.meta.url)),
        target === "coordinator" ? "serve" : "agent",
        ...passed,
      ],
    }),
    env: process.env,
    write: (text) => process.stdout.write(text),
  });
}

async function doctor(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...listenOptions,
      coordinator: { type: "string" },
      json: { type: "boolean" },
      ...engineOptions,
    },
  });
  const config = parseServeConfig({ ...values, "no-agent": true }, process.env);
  const engines = parseEngineFlags(values, process.env);
  const webIndex = join(config.webDir, "index.html");
  const checks = await runDoctor({
    nodeVersion: process.versions.node,
    requiredNode: pkg.engines.node,
    dataDir: config.dataDir,
    host: config.host,
    port: config.port,
    webIndex,
    webIndexExists: existsSync(webIndex),
    ollamaUrl: engines.ollamaUrl ?? defaultEngineUrls.ollama,
    openaiUrl: engines.openaiUrl ?? defaultEngineUrls.openai,
    coordinatorUrl: values.coordinator ?? process.env.BENCH_COORDINATOR_URL,
    rooms: config.roomsUrl && config.sinkSecret ? { url: config.roomsUrl, sinkSecret: config.sinkSecret } : undefined,
    loadDatabaseDriver: async () => {
      const { default: Database } = await import("better-sqlite3");
      new Database(":memory:").close();
    },
    fetch,
  });
  process.stdout.write(values.json ? `${JSON.stringify({ checks })}\n` : toDoctorReport(checks));
  process.exitCode = checks.some((check) => check.status === "fail") ? 1 : 0;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "serve") return serve(rest);
  if (command === "agent") return agent(rest);
  if (command === "service") return service(rest);
  if (command === "doctor") return doctor(rest);
  process.stdout.write(`${usage}\n`);
  if (command !== undefined && command !== "help" && command !== "--help")
    throw new Error(`Unknown command "${command}".`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  const message =
    err instanceof z.ZodError
      ? `bad settings:\n${err.issues.map((issue) => `  ${issue.message}`).join("\n")}\n\n${usage}`
      : err instanceof Error
        ? err.message
        : String(err);
  process.stderr.write(`bench-race: ${message}\n`);
  process.exit(1);
});
