/**
 * Any OpenAI-compatible server behind the backend interface: llama.cpp's llama-server, vLLM,
 * LM Studio, Ollama's /v1. These servers load their model at start-up, so `prepare` only checks
 * the params, that the server lists the model, and which engine (and version) it is.
 */
import { z } from "zod";
import type { BackendProbe } from "../../../coordinator/protocol/hardware.ts";
import type { JobError } from "../../../coordinator/protocol/job.ts";
import type { Logger } from "../../../coordinator/protocol/logger.ts";
import type { Backend, BackendJob, Prepared } from "../backend.ts";
import { type GetJsonResult, getJson } from "../get-json.ts";
import { parseLlmJob } from "../parse-llm-job.ts";
import { cancelledError } from "../pass-cancelled.ts";
import { toEngineHost } from "../to-engine-host.ts";
import { detectOpenAiEngine } from "./detect-openai-engine.ts";
import { openAiUnreachable } from "./openai-job-errors.ts";
import { runOpenAiChat } from "./run-openai-chat.ts";

export interface OpenAiBackendOptions {
  /** the server's root, with or without `/v1`, e.g. http://127.0.0.1:8080 */
  baseUrl: string;
  fetch?: typeof fetch;
  log?: Logger;
}

const modelsSchema = z.object({
  data: z.array(z.object({ id: z.string(), meta: z.object({ size: z.number().optional() }).nullish() })),
});

/** The name used in messages before the engine is known. */
const genericLabel = "OpenAI-compatible";

export function createOpenAiBackend(options: OpenAiBackendOptions): Backend {
  const root = options.baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const fetchFn = options.fetch ?? fetch;
  const host = toEngineHost(root);

  const listModels = (signal: AbortSignal) => getJson(fetchFn, `${root}/v1/models`, modelsSchema, signal);

  function modelsFailure(result: Exclude<GetJsonResult<unknown>, { ok: true }>): JobError {
    if (result.failure === "unreachable") return openAiUnreachable(genericLabel, root, result.reason);
    const detail = result.failure === "http" ? `HTTP ${result.status}: ${result.message}` : result.message;
    return {
      code: "engine_error",
      message: `The server at ${root} answered /v1/models with ${detail}. Is --openai-url an OpenAI-compatible server?`,
    };
  }

  async function probe(signal: AbortSignal): Promise<BackendProbe> {
    const models = await listModels(signal);
    if (!models.ok) return { reachable: false, version: null, models: [], error: modelsFailure(models).message };
    const { version } = await detectOpenAiEngine(fetchFn, root, models.headers.get("server"), signal);
    return {
      reachable: true,
      version,
      models: models.value.data.map((m) => ({ name: m.id, size_bytes: m.meta?.size ?? null, digest: null })),
    };
  }

  async function prepare(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    const prepared = await prepareJob(job, signal);
    return !prepared.ok && signal.aborted ? { ok: false, error: cancelledError } : prepared;
  }

  async function prepareJob(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    const parsed = parseLlmJob(job, "openai");
    if (!parsed.ok) return parsed;
    const { model, params } = parsed;
    const models = await listModels(signal);
    if (!models.ok) return { ok: false, error: modelsFailure(models) };
    const ids = models.value.data.map((m) => m.id);
    if (!ids.includes(model)) {
      return {
        ok: false,
        error: {
          code: "missing_model",
          message: `The server at ${root} has no model "${model}" (it has: ${ids.join(", ") || "none"}). Pick one of those or start the server with it.`,
        },
      };
    }
    const { engine, version } = await detectOpenAiEngine(fetchFn, root, models.headers.get("server"), signal);
    options.log?.info("engine detected", { engine, version, model });
    return {
      ok: true,
      job: {
        engine: { engine, engine_version: version, model_digest: null, ...host },
        run: (_pass, passSignal) => runOpenAiChat({ fetchFn, root, engine, model, params }, passSignal),
        dispose: async () => {},
      },
    };
  }

  return { kind: "openai", probe, prepare };
}
