import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BackendJob, PreparedJob, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createOllamaBackend } from "../../../agent/backends/ollama/create-ollama-backend.ts";
import { pullOllamaModel } from "../../../agent/backends/ollama/pull-ollama-model.ts";
import { createRefusingFetch, createReplayFetch, type ReplayRoute } from "../../helpers/replay-fetch.ts";
import { collectPass, describeBackendContract } from "./backend-contract.ts";

const baseUrl = "http://127.0.0.1:11434";
const fixture = (name: string) => readFileSync(new URL(`../../fixtures/backends/ollama/${name}.txt`, import.meta.url));
const job: BackendJob = { model: "llama3.2", params: { prompt: "Why is the sky blue?" } };
const signal = new AbortController().signal;
const fullText = "The sky looks blue because air scatters short wavelengths more — Rayleigh scattering.";

function routes(chat: ReplayRoute): Record<string, ReplayRoute> {
  return {
    "GET /api/version": { body: fixture("version") },
    "GET /api/tags": { body: fixture("tags") },
    "POST /api/generate": { body: fixture("load") },
    "POST /api/chat": chat,
  };
}

async function prepareWith(chat: ReplayRoute, lane: BackendJob = job) {
  const replay = createReplayFetch(routes(chat));
  const prepared = await createOllamaBackend({ baseUrl, fetch: replay.fetch }).prepare(lane, signal);
  return { replay, prepared };
}

async function preparedJob(chat: ReplayRoute, lane: BackendJob = job): Promise<PreparedJob> {
  const { prepared } = await prepareWith(chat, lane);
  if (!prepared.ok) throw new Error(prepared.error.message);
  return prepared.job;
}

const texts = (events: WorkloadEvent[]) => events.flatMap((e) => (e.type === "text" ? [e.text] : []));

describeBackendContract("ollama", () => ({
  complete: () => preparedJob({ body: fixture("chat-stream") }),
  stalled: () => preparedJob({ body: fixture("chat-stream").subarray(0, 400), stall: true }),
  truncated: () => preparedJob({ body: fixture("chat-stream-truncated") }),
}));

describe("ollama backend", () => {
  it("probes the version and the pulled models with their sizes and digests", async () => {
    const replay = createReplayFetch(routes({ body: "" }));
    const probe = await createOllamaBackend({ baseUrl, fetch: replay.fetch }).probe(signal);
    expect(probe).toEqual({
      reachable: true,
      version: "0.5.7",
      models: [
        {
          name: "llama3.2:latest",
          size_bytes: 2019393189,
          digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
        },
        {
          name: "qwen2.5:0.5b",
          size_bytes: 397821319,
          digest: "a8b0c51577010a279d933d14c2a8ab4b268079d44c5c8830c0a93900f1827c67",
        },
      ],
    });
  });

  it("probes an Ollama that is not running as unreachable, saying how to start it", async () => {
    const probe = await createOllamaBackend({ baseUrl, fetch: createRefusingFetch() }).probe(signal);
    expect(probe).toEqual({
      reachable: false,
      version: null,
      models: [],
      error:
        "Ollama at http://127.0.0.1:11434 is not reachable (ECONNREFUSED). Start it with `ollama serve` or pass --ollama-url.",
    });
  });

  it("prepares by resolving llama3.2 to llama3.2:latest and loading it with num_ctx, without a prompt", async () => {
    const { replay, prepared } = await prepareWith(
      { body: fixture("chat-stream") },
      { ...job, params: { ...job.params, num_ctx: 8192 } },
    );
    expect(prepared.ok && prepared.job.engine).toEqual({
      engine: "ollama",
      engine_version: "0.5.7",
      model_digest: "a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
      remote_engine: false,
      engine_host: "127.0.0.1:11434",
    });
    expect(replay.requests).toEqual([
      { method: "GET", path: "/api/version", body: null },
      { method: "GET", path: "/api/tags", body: null },
      {
        method: "POST",
        path: "/api/generate",
        body: { model: "llama3.2:latest", stream: false, keep_alive: "10m", options: { num_ctx: 8192 } },
      },
    ]);
  });

  it("reports an engine on another host as remote", async () => {
    const replay = createReplayFetch(routes({ body: "" }));
    const backend = createOllamaBackend({ baseUrl: "http://gpu-box.lan:11434/", fetch: replay.fetch });
    const prepared = await backend.prepare(job, signal);
    expect(prepared.ok && prepared.job.engine).toMatchObject({ remote_engine: true, engine_host: "gpu-box.lan:11434" });
  });

  it("refuses invalid params as invalid_params naming each field, before touching the engine", async () => {
    const { replay, prepared } = await prepareWith(
      { body: "" },
      { model: "llama3.2", params: { prompt: "", max_tokens: 0 } },
    );
    expect(prepared).toEqual({
      ok: false,
      error: {
        code: "invalid_params",
        message: "Invalid LLM params: prompt must not be empty; max_tokens must be at least 1",
      },
    });
    expect(replay.requests).toEqual([]);
  });

  it("refuses a model Ollama lacks as missing_model, listing what it has and how to pull", async () => {
    const { prepared } = await prepareWith({ body: "" }, { ...job, model: "llama9" });
    expect(prepared).toEqual({
      ok: false,
      error: {
        code: "missing_model",
        message:
          'Ollama at http://127.0.0.1:11434 has no model "llama9" (it has: llama3.2:latest, qwen2.5:0.5b). Pull it with `ollama pull llama9`.',
      },
    });
  });

  it("fails prepare as engine_unreachable when Ollama is not running", async () => {
    const backend = createOllamaBackend({ baseUrl, fetch: createRefusingFetch() });
    expect(await backend.prepare(job, signal)).toEqual({
      ok: false,
      error: {
        code: "engine_unreachable",
        message:
          "Ollama at http://127.0.0.1:11434 is not reachable (ECONNREFUSED). Start it with `ollama serve` or pass --ollama-url.",
      },
    });
  });

  it("streams /api/chat with the lane's options and reports the engine's counts and durations in ms", async () => {
    const { replay, prepared } = await prepareWith(
      { body: fixture("chat-stream") },
      { ...job, params: { ...job.params, system: "Be brief.", max_tokens: 64, seed: 7 } },
    );
    const events = await collectPass(prepared.ok ? prepared.job : (null as never));
    expect(replay.requests.at(-1)).toEqual({
      method: "POST",
      path: "/api/chat",
      body: {
        model: "llama3.2:latest",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Why is the sky blue?" },
        ],
        stream: true,
        keep_alive: "10m",
        options: { num_predict: 64, num_ctx: 4096, temperature: 0.2, seed: 7 },
      },
    });
    expect(events.slice(0, 2)).toEqual([{ type: "begin" }, { type: "first-byte" }]);
    expect(texts(events)).toHaveLength(14);
    expect(texts(events).join("")).toBe(fullText);
    expect(events.filter((e) => e.type === "text").every((e) => e.tokens === null)).toBe(true);
    expect(events.at(-1)).toEqual({
      type: "result",
      metrics: {
        engine: "ollama",
        model: "llama3.2:latest",
        prompt_tokens: 31,
        gen_tokens: 14,
        engine_prompt_eval_ms: 123.456,
        engine_gen_ms: 654.321,
        load_ms: 12.345678,
        engine_total_ms: 812.345678,
        prompt_cached: false,
        finish_reason: "stop",
      },
    });
  });

  it("reports a cached prompt (no prompt_eval_count) as prompt_tokens null and prompt_cached true", async () => {
    const events = await collectPass(await preparedJob({ body: fixture("chat-stream-cached") }));
    expect(events.at(-1)).toMatchObject({
      type: "result",
      metrics: { prompt_tokens: null, engine_prompt_eval_ms: null, prompt_cached: true, gen_tokens: 14 },
    });
  });

  it("keeps the text of a final done chunk", async () => {
    const events = await collectPass(await preparedJob({ body: fixture("chat-stream-final-text") }));
    expect(texts(events).join("")).toBe(fullText);
    expect(events.at(-2)).toEqual({ type: "text", text: ".", tokens: null });
    expect(events.at(-1)).toMatchObject({ type: "result", metrics: { gen_tokens: 14 } });
  });

  it("turns an error line that arrives after HTTP 200 into a stream_error with Ollama's message", async () => {
    const events = await collectPass(await preparedJob({ body: fixture("chat-stream-error") }));
    expect(texts(events)).toEqual(["The", " sky", " looks"]);
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        code: "stream_error",
        message:
          "Ollama failed mid-stream: an error was encountered while running the model: CUDA error: out of memory",
      },
    });
  });

  it("turns a stream that ends without done: true into a stream_error", async () => {
    const events = await collectPass(await preparedJob({ body: fixture("chat-stream-truncated") }));
    expect(texts(events)).toHaveLength(5);
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        code: "stream_error",
        message: "Ollama's stream ended before its final chunk (done: true); the engine may have crashed.",
      },
    });
  });

  it("turns a stream cut in the middle of a line into a stream_error", async () => {
    const body = fixture("chat-stream");
    const events = await collectPass(await preparedJob({ body: body.subarray(0, body.length - 60) }));
    expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "stream_error" } });
  });

  it("yields the same events when the stream arrives one byte or a few bytes per read", async () => {
    const whole = (await collectPass(await preparedJob({ body: fixture("chat-stream") }))).filter(
      (e) => e.type !== "first-byte",
    );
    for (const chunkSizes of [[1], [3, 17], [200]]) {
      const events = await collectPass(await preparedJob({ body: fixture("chat-stream"), chunkSizes }));
      expect(events.filter((e) => e.type !== "first-byte")).toEqual(whole);
      expect(events.filter((e) => e.type === "first-byte")).toHaveLength(1);
    }
  });

  it("reports a chat answered with 404 model not found as missing_model", async () => {
    const events = await collectPass(await preparedJob({ status: 404, body: fixture("chat-model-not-found") }));
    expect(events).toEqual([
      { type: "begin" },
      {
        type: "error",
        error: {
          code: "missing_model",
          message:
            'Ollama at http://127.0.0.1:11434 has no model "llama3.2:latest" (model "llama9" not found, try pulling it first). Pull it with `ollama pull llama3.2:latest`.',
        },
      },
    ]);
  });
});

describe("pullOllamaModel", () => {
  const pull = async (route: ReplayRoute) => {
    const replay = createReplayFetch({ "POST /api/pull": route });
    const seen: unknown[] = [];
    try {
      for await (const progress of pullOllamaModel(baseUrl, "llama3.2", replay.fetch, signal)) seen.push(progress);
    } catch (err) {
      seen.push(String(err));
    }
    return { seen, requests: replay.requests };
  };

  it("yields each progress line with its byte counts until success", async () => {
    const { seen, requests } = await pull({ body: fixture("pull"), chunkSizes: [50] });
    expect(requests).toEqual([{ method: "POST", path: "/api/pull", body: { model: "llama3.2", stream: true } }]);
    const digest = "sha256:dde5aa3fc5ffc17176b5e8bdc82f587b24b2678c6c66101bf7da77af9f7ccdff";
    expect(seen).toEqual([
      { status: "pulling manifest", digest: null, completed: null, total: null },
      { status: "pulling dde5aa3fc5ff", digest, completed: null, total: 2019377376 },
      { status: "pulling dde5aa3fc5ff", digest, completed: 1048576, total: 2019377376 },
      { status: "pulling dde5aa3fc5ff", digest, completed: 2019377376, total: 2019377376 },
      { status: "verifying sha256 digest", digest: null, completed: null, total: null },
      { status: "writing manifest", digest: null, completed: null, total: null },
      { status: "success", digest: null, completed: null, total: null },
    ]);
  });

  it("throws Ollama's message when the pull fails mid-stream", async () => {
    const { seen } = await pull({ body: fixture("pull-error") });
    expect(seen).toEqual([
      { status: "pulling manifest", digest: null, completed: null, total: null },
      "Error: Ollama could not pull llama3.2: pull model manifest: file does not exist",
    ]);
  });

  it("throws when the stream ends before success", async () => {
    const lines = fixture("pull").toString("utf8").split("\n").slice(0, 3).join("\n");
    const { seen } = await pull({ body: lines });
    expect(seen.at(-1)).toBe('Error: Ollama\'s pull of llama3.2 ended before it said "success".');
  });

  it("throws when Ollama is not running", async () => {
    const seen: unknown[] = [];
    await pullOllamaModel(baseUrl, "llama3.2", createRefusingFetch(), signal)
      .next()
      .catch((err) => seen.push(String(err)));
    expect(seen).toEqual(["Error: Ollama at http://127.0.0.1:11434 is not reachable (ECONNREFUSED)."]);
  });
});
