/**
 * Ollama behind the backend interface, through its documented HTTP API. `prepare` does everything
 * that must stay out of the timed window: it checks the params, finds the model (and its digest),
 * reads the engine's version and loads the model with the pass's context size.
 */
import { z } from "zod";
import type { BackendProbe, ModelInfo } from "../../../coordinator/protocol/hardware.ts";
import type { JobError } from "../../../coordinator/protocol/job.ts";
import type { Logger } from "../../../coordinator/protocol/logger.ts";
import type { Backend, BackendJob, Prepared } from "../backend.ts";
import { fetchFailureReason } from "../fetch-failure-reason.ts";
import { type GetJsonResult, getJson } from "../get-json.ts";
import { parseLlmJob } from "../parse-llm-job.ts";
import { cancelledError } from "../pass-cancelled.ts";
import { readErrorBody } from "../read-error-body.ts";
import { toEngineHost } from "../to-engine-host.ts";
import { ollamaHttpError, ollamaUnreachable } from "./ollama-job-errors.ts";
import { resolveOllamaModel } from "./resolve-ollama-model.ts";
import { runOllamaChat } from "./run-ollama-chat.ts";
import { ollamaKeepAlive } from "./to-ollama-chat-request.ts";

export interface OllamaBackendOptions {
  /** e.g. http://127.0.0.1:11434 */
  baseUrl: string;
  fetch?: typeof fetch;
  log?: Logger;
}

const versionSchema = z.object({ version: z.string() });
const tagsSchema = z.object({
  models: z.array(z.object({ name: z.string(), size: z.number().optional(), digest: z.string().optional() })),
});

export function createOllamaBackend(options: OllamaBackendOptions): Backend {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchFn = options.fetch ?? fetch;
  const host = toEngineHost(baseUrl);

  /** the failure of a GET, worded for a lane (`unreachable` names the fix) */
  function getFailure(result: Exclude<GetJsonResult<unknown>, { ok: true }>, path: string): JobError {
    if (result.failure === "unreachable") return ollamaUnreachable(baseUrl, result.reason);
    const detail = result.failure === "http" ? `HTTP ${result.status}: ${result.message}` : result.message;
    return {
      code: "engine_error",
      message: `Ollama at ${baseUrl} answered ${path} with ${detail}. Is --ollama-url an Ollama server?`,
    };
  }

  async function listModels(signal: AbortSignal) {
    const tags = await getJson(fetchFn, `${baseUrl}/api/tags`, tagsSchema, signal);
    if (!tags.ok) return tags;
    const models: ModelInfo[] = tags.value.models.map((m) => ({
      name: m.name,
      size_bytes: m.size ?? null,
      digest: m.digest ?? null,
    }));
    return { ok: true as const, models };
  }

  async function probe(signal: AbortSignal): Promise<BackendProbe> {
    const version = await getJson(fetchFn, `${baseUrl}/api/version`, versionSchema, signal);
    if (!version.ok) return unreachable(getFailure(version, "/api/version").message);
    const tags = await listModels(signal);
    if (!tags.ok) return unreachable(getFailure(tags, "/api/tags").message);
    return { reachable: true, version: version.value.version, models: tags.models };
  }

  async function prepare(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    const prepared = await prepareJob(job, signal);
    return !prepared.ok && signal.aborted ? { ok: false, error: cancelledError } : prepared;
  }

  async function prepareJob(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    const parsed = parseLlmJob(job, "ollama");
    if (!parsed.ok) return parsed;
    const { params } = parsed;
    const version = await getJson(fetchFn, `${baseUrl}/api/version`, versionSchema, signal);
    if (!version.ok) return { ok: false, error: getFailure(version, "/api/version") };
    const tags = await listModels(signal);
    if (!tags.ok) return { ok: false, error: getFailure(tags, "/api/tags") };
    const model = resolveOllamaModel(parsed.model, tags.models);
    if (!model) {
      const have = tags.models.map((m) => m.name).join(", ") || "none";
      return {
        ok: false,
        error: {
          code: "missing_model",
          message: `Ollama at ${baseUrl} has no model "${parsed.model}" (it has: ${have}). Pull it with \`ollama pull ${parsed.model}\`.`,
        },
      };
    }
    const loaded = await loadModel(model.name, params.num_ctx, signal);
    if (!loaded.ok) return loaded;
    options.log?.info("model loaded", { model: model.name, num_ctx: params.num_ctx });
    return {
      ok: true,
      job: {
        engine: {
          engine: "ollama",
          engine_version: version.value.version,
          model_digest: model.digest,
          ...host,
        },
        run: (_pass, passSignal) => runOllamaChat({ fetchFn, baseUrl, model: model.name, params }, passSignal),
        // The model stays loaded for `keep_alive`, as Ollama does for any client.
        dispose: async () => {},
      },
    };
  }

  /** A generate request without a prompt only loads the model, with the context size the passes use. */
  async function loadModel(model: string, numCtx: number, signal: AbortSignal): Promise<Loaded> {
    const body = JSON.stringify({ model, stream: false, keep_alive: ollamaKeepAlive, options: { num_ctx: numCtx } });
    try {
      const headers = { "content-type": "application/json" };
      const response = await fetchFn(`${baseUrl}/api/generate`, { method: "POST", headers, body, signal });
      if (!response.ok) {
        return { ok: false, error: ollamaHttpError(baseUrl, response.status, await readErrorBody(response), model) };
      }
      await response.text();
      return { ok: true };
    } catch (err) {
      return { ok: false, error: ollamaUnreachable(baseUrl, fetchFailureReason(err)) };
    }
  }

  return { kind: "ollama", probe, prepare };
}

type Loaded = { ok: true } | { ok: false; error: JobError };

const unreachable = (error: string): BackendProbe => ({ reachable: false, version: null, models: [], error });
