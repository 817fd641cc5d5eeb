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
  engines: z.object({
    /** Ollama to race; null: probe the default and offer it when it answers */
    ollamaUrl: z
      .url({ protocol: /^https?$/, error: "--ollama-url must be an http(s) URL, e.g. http://127.0.0.1:11434" })
      .nullable(),
    /** an OpenAI-compatible server to race; null: probe LM Studio's default and offer it when it answers */
    openaiUrl: z
      .url({ protocol: /^https?$/, error: "--openai-url must be an http(s) URL, e.g. http://127.0.0.1:8080" })
      .nullable(),
    /** a folder of GGUF files for the embedded llama.cpp engine; null: none */
    ggufDir: z.string().min(1, { error: "--gguf-dir must not be empty" }).nullable(),
    /** CPU threads of the embedded llama.cpp engine; null: node-llama-cpp's choice (the machine's math cores) */
    llamacppThreads: z
      .number({ error: "--llamacpp-threads must be a number" })
      .int({ error: "--llamacpp-threads must be a whole number" })
      .min(1, { error: "--llamacpp-threads must be at least 1" })
      .max(1024)
      .nullable(),
    /** ComfyUI to race image workflows on; null: none */
    comfyuiUrl: z
      .url({ protocol: /^https?$/, error: "--comfyui-url must be an http(s) URL, e.g. http://127.0.0.1:8188" })
      .nullable(),
    /** ComfyUI's checkpoints folder, where listed checkpoints are downloaded; null: no downloads */
    comfyuiCheckpoints: z.string().min(1, { error: "--comfyui-checkpoints must not be empty" }).nullable(),
  }),
  /** macOS: read Apple CPU/GPU power with `powermetrics` (needs root); off by default */
  powermetrics: z.boolean().optional(),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;

export interface AgentFlags {
  coordinator?: string;
  token?: string;
  name?: string;
  "state-dir"?: string;
  "ollama-url"?: string;
  "openai-url"?: string;
  "gguf-dir"?: string;
  "llamacpp-threads"?: string;
  powermetrics?: boolean;
  "comfyui-url"?: string;
  "comfyui-checkpoints"?: string;
}

/** Where engines answer when nobody said otherwise: probed at start, offered only when they answer. */
export const defaultEngineUrls = { ollama: "http://127.0.0.1:11434", openai: "http://127.0.0.1:1234" } as const;

/** The engine options of `agent` and of local mode's embedded agent. */
export function parseEngineFlags(flags: AgentFlags, env: Record<string, string | undefined>) {
  const ggufDir = flags["gguf-dir"] ?? env.BENCH_GGUF_DIR;
  const threads = flags["llamacpp-threads"] ?? env.BENCH_LLAMACPP_THREADS;
  const checkpointsDir = flags["comfyui-checkpoints"] ?? env.BENCH_COMFYUI_CHECKPOINTS;
  return {
    llamacppThreads: threads === undefined ? null : Number(threads),
    ollamaUrl: flags["ollama-url"] ?? env.BENCH_OLLAMA_URL ?? null,
    openaiUrl: flags["openai-url"] ?? env.BENCH_OPENAI_URL ?? null,
    ggufDir: ggufDir === undefined ? null : resolve(ggufDir),
    comfyuiUrl: flags["comfyui-url"] ?? env.BENCH_COMFYUI_URL ?? null,
    comfyuiCheckpoints: checkpointsDir === undefined ? null : resolve(checkpointsDir),
  };
}

export function parseAgentConfig(flags: AgentFlags, env: Record<string, string | undefined>): AgentConfig {
  return agentConfigSchema.parse({
    coordinatorUrl: flags.coordinator ?? env.BENCH_COORDINATOR_URL,
    token: flags.token ?? env.BENCH_AGENT_TOKEN,
    name: flags.name ?? env.BENCH_AGENT_NAME ?? os.hostname(),
    stateDir: resolve(flags["state-dir"] ?? env.BENCH_AGENT_STATE_DIR ?? join(os.homedir(), ".bench-race")),
    engines: parseEngineFlags(flags, env),
    powermetrics: flags.powermetrics ?? env.BENCH_POWERMETRICS === "1",
  });
}
