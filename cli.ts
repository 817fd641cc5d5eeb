/**
 * The `bench-race` command: `serve` (local mode, with an embedded agent) and `agent` (dial out
 * to a coordinator). One top-level catch turns every start-up error into a message and exit 1.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { z } from "zod";
import { parseAgentConfig, parseEngineFlags } from "./agent/agent-config.ts";
import { startAgent } from "./agent/start-agent.ts";
import { startLocal } from "./coordinator/local.ts";
import { createLogger } from "./coordinator/protocol/logger.ts";
import { toServeBanner } from "./coordinator/serve-banner.ts";
import { parseServeConfig } from "./coordinator/serve-config.ts";

const usage = `Usage:
  bench-race serve [--port 8080] [--host 127.0.0.1] [--data-dir data] [--public-url URL] [--no-agent] [engines]
  bench-race agent --coordinator http://HOST:PORT --token TOKEN [--name NAME] [--state-dir DIR] [engines]

Engines (the agent always offers compute and the mock engine; with no flags it probes Ollama at
127.0.0.1:11434 and LM Studio at 127.0.0.1:1234 and offers what answers):
  --ollama-url URL     race this Ollama
  --openai-url URL     race this OpenAI-compatible server (llama.cpp's llama-server, vLLM, LM Studio)
  --gguf-dir DIR       race the GGUF files in DIR with the embedded llama.cpp (npm run llamacpp:install)
  --llamacpp-threads N CPU threads of the embedded llama.cpp (default: the machine's math cores)
  --comfyui-url URL    race this ComfyUI (image races)
  --comfyui-checkpoints DIR  ComfyUI's models/checkpoints folder: the operator's listed checkpoints are downloaded there

Environment: PORT, HOST, BENCH_DATA_DIR, BENCH_OPERATOR_KEY, BENCH_AGENT_TOKEN, BENCH_PUBLIC_URL,
BENCH_COORDINATOR_URL, BENCH_AGENT_NAME, BENCH_AGENT_STATE_DIR, BENCH_OLLAMA_URL, BENCH_OPENAI_URL,
BENCH_GGUF_DIR, BENCH_LLAMACPP_THREADS, BENCH_COMFYUI_URL, BENCH_COMFYUI_CHECKPOINTS.`;

const engineOptions = {
  "ollama-url": { type: "string" },
  "openai-url": { type: "string" },
  "gguf-dir": { type: "string" },
  "llamacpp-threads": { type: "string" },
  "comfyui-url": { type: "string" },
  "comfyui-checkpoints": { type: "string" },
} as const;

async function serve(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      "data-dir": { type: "string" },
      "public-url": { type: "string" },
      "no-agent": { type: "boolean" },
      ...engineOptions,
    },
  });
  const config = parseServeConfig(values, process.env);
  const log = createLogger("serve");
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
        createLogger("agent"),
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
  const stop = async () => {
    await agent?.close();
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
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
  const log = createLogger(`agent:${config.name}`);
  await checkCoordinator(config.coordinatorUrl);
  const running = await startAgent(config, log);
  await running.connection.welcomed;
  process.stdout.write(`Agent ${config.name} (${running.agentId}) is connected to ${config.coordinatorUrl}\n`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

/** Fails fast with a clear message when the coordinator is unreachable (enrollment checks the token). */
async function checkCoordinator(url: string): Promise<void> {
  const health = await fetch(new URL("/api/health", url)).catch((err: unknown) => {
    throw new Error(
      `The coordinator at ${url} is not reachable (${causeOf(err)}). Check the URL and that it is running.`,
    );
  });
  if (!health.ok)
    throw new Error(
      `The coordinator at ${url} answered ${health.status} to /api/health. Is this a bench-race coordinator?`,
    );
}

const causeOf = (err: unknown): string =>
  err instanceof Error && err.cause instanceof Error
    ? err.cause.message
    : err instanceof Error
      ? err.message
      : String(err);

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "serve") return serve(rest);
  if (command === "agent") return agent(rest);
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
