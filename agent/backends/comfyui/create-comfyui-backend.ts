/**
 * ComfyUI behind the backend interface, through its documented HTTP and websocket API. `prepare`
 * does what must stay out of the timed window: it checks the params, reads ComfyUI's version from
 * `/system_stats` and checks the checkpoint against the loader's choices in `/object_info`.
 */
import type { BackendProbe } from "../../../coordinator/protocol/hardware.ts";
import { imageParamsSchema } from "../../../coordinator/protocol/image.ts";
import type { JobError } from "../../../coordinator/protocol/job.ts";
import type { Logger } from "../../../coordinator/protocol/logger.ts";
import type { Backend, BackendJob, Prepared } from "../backend.ts";
import { type GetJsonResult, getJson } from "../get-json.ts";
import { cancelledError } from "../pass-cancelled.ts";
import { toEngineHost } from "../to-engine-host.ts";
import { comfyMalformed, comfyMissingCheckpoint, comfyUnreachable } from "./comfyui-job-errors.ts";
import { checkpointChoices, checkpointInfoSchema, systemStatsSchema } from "./comfyui-messages.ts";
import { runComfyUiPass } from "./run-comfyui-pass.ts";

export interface ComfyUiBackendOptions {
  /** e.g. http://127.0.0.1:8188 */
  baseUrl: string;
  fetch?: typeof fetch;
  log?: Logger;
  /** milliseconds between history polls once a socket dropped; default 500 */
  pollMs?: number;
  /** milliseconds one HTTP request to ComfyUI may take, body included; default 30 s */
  requestTimeoutMs?: number;
}

/**
 * `fetch` with a deadline per request, so a ComfyUI that accepts connections but never answers
 * ends the lane (as unreachable, saying how long it waited) instead of holding it.
 */
function withRequestTimeout(fetchFn: typeof fetch, ms: number): typeof fetch {
  return async (input, init) => {
    const deadline = AbortSignal.timeout(ms);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    try {
      return await fetchFn(input, { ...init, signal });
    } catch (err) {
      if (deadline.aborted && !init?.signal?.aborted) throw new Error(`no answer within ${ms / 1000} s`);
      throw err;
    }
  };
}

export function createComfyUiBackend(options: ComfyUiBackendOptions): Backend {
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  const fetchFn = withRequestTimeout(options.fetch ?? fetch, options.requestTimeoutMs ?? 30_000);
  const host = toEngineHost(baseUrl);

  function failure(result: Exclude<GetJsonResult<unknown>, { ok: true }>, path: string): JobError {
    if (result.failure === "unreachable") return comfyUnreachable(baseUrl, result.reason);
    return comfyMalformed(
      baseUrl,
      result.failure === "http" ? `${path} (HTTP ${result.status}: ${result.message})` : path,
    );
  }

  async function look(signal: AbortSignal) {
    const stats = await getJson(fetchFn, `${baseUrl}/system_stats`, systemStatsSchema, signal);
    if (!stats.ok) return { ok: false as const, error: failure(stats, "/system_stats") };
    const info = await getJson(fetchFn, `${baseUrl}/object_info/CheckpointLoaderSimple`, checkpointInfoSchema, signal);
    if (!info.ok) return { ok: false as const, error: failure(info, "/object_info/CheckpointLoaderSimple") };
    return {
      ok: true as const,
      version: stats.value.system.comfyui_version ?? null,
      checkpoints: checkpointChoices(info.value),
    };
  }

  async function probe(signal: AbortSignal): Promise<BackendProbe> {
    const seen = await look(signal);
    if (!seen.ok) return { reachable: false, version: null, models: [], error: seen.error.message };
    const models = seen.checkpoints.map((name) => ({ name, size_bytes: null, digest: null }));
    return { reachable: true, version: seen.version, models };
  }

  async function prepare(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    if (!job.model) {
      return {
        ok: false,
        error: { code: "invalid_params", message: "model: the comfyui lane needs a checkpoint name" },
      };
    }
    const parsed = imageParamsSchema.safeParse(job.params);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      return { ok: false, error: { code: "invalid_params", message: `Invalid image params: ${problems.join("; ")}` } };
    }
    const seen = await look(signal);
    if (signal.aborted) return { ok: false, error: cancelledError };
    if (!seen.ok) return { ok: false, error: seen.error };
    const checkpoint = job.model;
    if (!seen.checkpoints.includes(checkpoint)) {
      return { ok: false, error: comfyMissingCheckpoint(baseUrl, checkpoint, seen.checkpoints) };
    }
    const params = parsed.data;
    return {
      ok: true,
      job: {
        engine: { engine: "comfyui", engine_version: seen.version, model_digest: null, ...host },
        run: (_pass, passSignal) =>
          runComfyUiPass(
            { fetchFn, baseUrl, checkpoint, params, ...(options.pollMs ? { pollMs: options.pollMs } : {}) },
            passSignal,
          ),
        dispose: async () => {},
      },
    };
  }

  return { kind: "comfyui", probe, prepare };
}
