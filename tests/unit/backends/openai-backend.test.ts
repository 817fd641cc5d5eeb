import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { BackendJob, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createOpenAiBackend } from "../../../agent/backends/openai/create-openai-backend.ts";
import { createSseDecoder } from "../../../agent/backends/openai/create-sse-decoder.ts";
import { toEngineHost } from "../../../agent/backends/to-engine-host.ts";
import { readHttpRecording } from "../../helpers/read-http-recording.ts";
import {
  createRefusingFetch,
  createReplayFetch,
  type ReplayAnswer,
  type ReplayRoute,
} from "../../helpers/replay-fetch.ts";
import { collectPass, describeBackendContract } from "./backend-contract.ts";

const dir = new URL("../../fixtures/backends/openai/", import.meta.url);
/** a raw body written from the documented format */
const body = (name: string) => readFileSync(new URL(`${name}.txt`, dir));
/** a real llama-server exchange, recorded with its status, headers and HTTP chunks */
const recorded = (name: string) => readHttpRecording(new URL(`llama-server-${name}.http.txt`, dir));

const llamaUrl = "http://127.0.0.1:18090";
const vllmUrl = "http://127.0.0.1:8000";
const signal = new AbortController().signal;
const llamaJob: BackendJob = { model: "small-q8_0", params: { prompt: "Explain unified memory in one sentence." } };
const vllmJob: BackendJob = { model: "Qwen/Qwen2.5-0.5B-Instruct", params: { prompt: "Explain unified memory." } };

const llamaRoutes = (chat: ReplayRoute): Record<string, ReplayRoute> => ({
  "GET /v1/models": recorded("models"),
  "GET /props": recorded("props"),
  "POST /v1/chat/completions": chat,
});
const vllmRoutes = (chat: ReplayRoute): Record<string, ReplayRoute> => ({
  "GET /v1/models": { body: body("vllm-models") },
  "GET /version": { body: body("vllm-version") },
  "POST /v1/chat/completions": chat,
});

async function prepareWith(routes: Record<string, ReplayRoute>, lane: BackendJob, baseUrl = llamaUrl) {
  const replay = createReplayFetch(routes);
  const prepared = await createOpenAiBackend({ baseUrl, fetch: replay.fetch }).prepare(lane, signal);
  return { replay, prepared };
}

async function preparedJob(routes: Record<string, ReplayRoute>, lane: BackendJob, baseUrl = llamaUrl) {
  const { prepared } = await prepareWith(routes, lane, baseUrl);
  if (!prepared.ok) throw new Error(prepared.error.message);
  return prepared.job;
}

const llamaPass = (chat: ReplayRoute) => preparedJob(llamaRoutes(chat), llamaJob).then(collectPass);
const vllmPass = (chat: ReplayRoute) => preparedJob(vllmRoutes(chat), vllmJob, vllmUrl).then(collectPass);
const texts = (events: WorkloadEvent[]) => events.flatMap((e) => (e.type === "text" ? [e.text] : []));

/** the recorded stream without its last `drop` HTTP chunks */
function recordedWithout(name: string, drop: number, extra: Partial<ReplayAnswer> = {}): ReplayAnswer {
  const answer = recorded(name);
  return { ...answer, body: (answer.body as Uint8Array[]).slice(0, -drop), ...extra };
}

describeBackendContract("openai (llama-server recording)", () => ({
  complete: () => preparedJob(llamaRoutes(recorded("chat-stream")), llamaJob),
  stalled: () => preparedJob(llamaRoutes(recordedWithout("chat-stream", 30, { stall: true })), llamaJob),
  truncated: () => preparedJob(llamaRoutes(recordedWithout("chat-stream", 2)), llamaJob),
}));

describe("openai backend: probe and prepare", () => {
  it("probes llama-server's models and its build as the version", async () => {
    const replay = createReplayFetch(llamaRoutes({ body: "" }));
    expect(await createOpenAiBackend({ baseUrl: llamaUrl, fetch: replay.fetch }).probe(signal)).toEqual({
      reachable: true,
      version: "b0-unknown",
      models: [{ name: "small-q8_0", size_bytes: 142543872, digest: null }],
    });
  });

  it("probes vLLM's version from GET /version", async () => {
    const replay = createReplayFetch(vllmRoutes({ body: "" }));
    expect(await createOpenAiBackend({ baseUrl: vllmUrl, fetch: replay.fetch }).probe(signal)).toEqual({
      reachable: true,
      version: "0.6.3.post1",
      models: [{ name: "Qwen/Qwen2.5-0.5B-Instruct", size_bytes: null, digest: null }],
    });
  });

  it("probes a server that is not running as unreachable, saying what to do", async () => {
    const backend = createOpenAiBackend({ baseUrl: "http://127.0.0.1:8080/v1/", fetch: createRefusingFetch() });
    expect(await backend.probe(signal)).toEqual({
      reachable: false,
      version: null,
      models: [],
      error:
        "The OpenAI-compatible server at http://127.0.0.1:8080 is not reachable (ECONNREFUSED). Start it (e.g. `llama-server -m model.gguf`) or pass --openai-url.",
    });
  });

  it("prepares llama-server as engine llama.cpp with its build, a base URL ending in /v1 included", async () => {
    const { replay, prepared } = await prepareWith(llamaRoutes({ body: "" }), llamaJob, `${llamaUrl}/v1`);
    expect(prepared.ok && prepared.job.engine).toEqual({
      engine: "llama.cpp",
      engine_version: "b0-unknown",
      model_digest: null,
      remote_engine: false,
      engine_host: "127.0.0.1:18090",
    });
    expect(replay.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /v1/models", "GET /props"]);
  });

  it("names the engine from each server's own marks: /version is vllm, a llama.cpp Server header is llama.cpp", async () => {
    const engineOf = async (routes: Record<string, ReplayRoute>) => {
      const { prepared } = await prepareWith(routes, vllmJob);
      return prepared.ok ? [prepared.job.engine.engine, prepared.job.engine.engine_version] : prepared.error;
    };
    const models = { body: body("vllm-models") };
    expect(await engineOf(vllmRoutes({ body: "" }))).toEqual(["vllm", "0.6.3.post1"]);
    expect(await engineOf({ "GET /v1/models": models })).toEqual(["openai-compatible", null]);
    const llamaHeader = { ...models, headers: { server: "llama.cpp" } };
    expect(await engineOf({ "GET /v1/models": llamaHeader })).toEqual(["llama.cpp", null]);
  });

  it("refuses a model the server does not list as missing_model, listing its ids", async () => {
    const { prepared } = await prepareWith(llamaRoutes({ body: "" }), { ...llamaJob, model: "llama3" });
    expect(prepared).toEqual({
      ok: false,
      error: {
        code: "missing_model",
        message:
          'The server at http://127.0.0.1:18090 has no model "llama3" (it has: small-q8_0). Pick one of those or start the server with it.',
      },
    });
  });

  it("refuses invalid params as invalid_params naming the field, before touching the server", async () => {
    const lane = { ...llamaJob, params: { ...llamaJob.params, max_tokens: 4096, num_ctx: 4096 } };
    const { replay, prepared } = await prepareWith(llamaRoutes({ body: "" }), lane);
    expect(prepared).toEqual({
      ok: false,
      error: {
        code: "invalid_params",
        message:
          "Invalid LLM params: max_tokens (4096) must be below num_ctx (4096); raise num_ctx or ask for fewer tokens",
      },
    });
    expect(replay.requests).toEqual([]);
  });

  it("fails prepare as engine_unreachable when the server is not running", async () => {
    const backend = createOpenAiBackend({ baseUrl: llamaUrl, fetch: createRefusingFetch("ECONNRESET") });
    expect(await backend.prepare(llamaJob, signal)).toMatchObject({
      ok: false,
      error: { code: "engine_unreachable", message: expect.stringContaining("(ECONNRESET)") },
    });
  });

  it("counts only loopback hosts as local engines", () => {
    const remote = (url: string) => toEngineHost(url).remote_engine;
    for (const local of ["http://127.0.0.1:8080", "http://127.9.0.3", "http://localhost:1234", "http://[::1]:8000"]) {
      expect(remote(local)).toBe(false);
    }
    for (const far of ["http://10.0.0.5:8080", "http://gpu-box.lan", "http://[fe80::1]:8000", "http://128.0.0.1"]) {
      expect(remote(far)).toBe(true);
    }
    expect(toEngineHost("http://gpu-box.lan:8080/v1")).toEqual({
      remote_engine: true,
      engine_host: "gpu-box.lan:8080",
    });
  });
});

describe("openai backend: llama-server recordings", () => {
  it("sends the streamed chat request with usage, seed and cache_prompt", async () => {
    const routes = llamaRoutes(recorded("chat-stream"));
    const replay = createReplayFetch(routes);
    const lane = { ...llamaJob, params: { ...llamaJob.params, system: "Be brief.", max_tokens: 32, seed: 1 } };
    const prepared = await createOpenAiBackend({ baseUrl: llamaUrl, fetch: replay.fetch }).prepare(lane, signal);
    await collectPass(prepared.ok ? prepared.job : (null as never));
    expect(replay.requests.at(-1)).toEqual({
      method: "POST",
      path: "/v1/chat/completions",
      body: {
        model: "small-q8_0",
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Explain unified memory in one sentence." },
        ],
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 32,
        temperature: 0.2,
        seed: 1,
        cache_prompt: false,
      },
    });
  });

  it("turns the 32-token recording into 32 text events and the server's usage and timings", async () => {
    const events = await llamaPass(recorded("chat-stream"));
    expect(events.slice(0, 2)).toEqual([{ type: "begin" }, { type: "first-byte" }]);
    expect(texts(events)).toHaveLength(32);
    expect(texts(events).slice(0, 5)).toEqual(["Sidenote", "dade", "score", " Lac", " compose"]);
    expect(texts(events).at(-1)).toBe("In");
    expect(events.filter((e) => e.type === "text").every((e) => e.tokens === null)).toBe(true);
    const result = events.at(-1);
    expect(result).toEqual({
      type: "result",
      metrics: {
        engine: "llama.cpp",
        model: "small-q8_0",
        prompt_tokens: 36,
        gen_tokens: 32,
        engine_prompt_eval_ms: 95.678,
        engine_gen_ms: 192.61,
        load_ms: null,
        engine_total_ms: 95.678 + 192.61,
        prompt_cached: false,
        finish_reason: "length",
      },
    });
  });

  it("turns the 256-token recording into 256 text events, gen_tokens 256 and the recorded predicted_ms", async () => {
    const events = await llamaPass(recorded("chat-stream-max-tokens-256"));
    expect(texts(events)).toHaveLength(256);
    expect(events.at(-1)).toMatchObject({
      type: "result",
      metrics: { gen_tokens: 256, prompt_tokens: 36, engine_gen_ms: 2029.719, engine_prompt_eval_ms: 48.435 },
    });
  });

  it("reports a prompt cache hit as prompt_tokens 1 (tokens really evaluated) and prompt_cached true", async () => {
    const events = await llamaPass(recorded("chat-stream-cached"));
    expect(events.at(-1)).toMatchObject({
      type: "result",
      metrics: { prompt_tokens: 1, prompt_cached: true, engine_prompt_eval_ms: 5.76, engine_gen_ms: 182.888 },
    });
  });

  it("reports a request with the cache off as the whole prompt evaluated", async () => {
    const events = await llamaPass(recorded("chat-stream-no-cache"));
    expect(events.at(-1)).toMatchObject({
      type: "result",
      metrics: { prompt_tokens: 36, prompt_cached: false, engine_prompt_eval_ms: 86.532 },
    });
  });

  it("yields the same events whatever the read sizes", async () => {
    const whole = await llamaPass(recorded("chat-stream"));
    const flat = Buffer.concat(recorded("chat-stream").body as Uint8Array[]);
    for (const chunkSizes of [[1], [5, 17], [4096]]) {
      const events = await llamaPass({ ...recorded("chat-stream"), body: flat, chunkSizes });
      expect(events).toEqual(whole);
    }
  });

  it("reports llama-server's HTTP 500 with its own message as engine_error", async () => {
    const events = await llamaPass(recorded("error-bad-json"));
    expect(events).toEqual([
      { type: "begin" },
      {
        type: "error",
        error: {
          code: "engine_error",
          message:
            "The llama.cpp server at http://127.0.0.1:18090 answered HTTP 500: [json.exception.parse_error.101] parse error at line 1, column 80: syntax error while parsing object - unexpected end of input; expected '}'",
        },
      },
    ]);
  });

  it("turns llama-server's error: line mid-stream into a stream_error with its message", async () => {
    const events = await llamaPass({ body: body("llamacpp-error-field") });
    expect(texts(events)).toEqual(["Hello", " there"]);
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        code: "stream_error",
        message: "The llama.cpp server failed mid-stream: llama_decode failed: out of memory",
      },
    });
  });
});

describe("openai backend: vLLM and OpenAI-shaped streams", () => {
  it("skips the role-only first chunk and takes counts from the usage-only trailer", async () => {
    const events = await vllmPass({ body: body("vllm-chat-stream") });
    expect(events.slice(0, 3)).toEqual([
      { type: "begin" },
      { type: "first-byte" },
      { type: "text", text: "Unified", tokens: null },
    ]);
    expect(texts(events).join("")).toBe("Unified memory lets the CPU and GPU share one pool of RAM, so no copies");
    expect(texts(events)).toHaveLength(16);
    expect(events.at(-1)).toEqual({
      type: "result",
      metrics: {
        engine: "vllm",
        model: "Qwen/Qwen2.5-0.5B-Instruct",
        prompt_tokens: 24,
        gen_tokens: 16,
        engine_prompt_eval_ms: null,
        engine_gen_ms: null,
        load_ms: null,
        engine_total_ms: null,
        prompt_cached: null,
        finish_reason: "length",
      },
    });
  });

  it("buffers frames split across reads, down to one byte per read", async () => {
    const whole = await vllmPass({ body: body("vllm-chat-stream") });
    for (const chunkSizes of [[1], [2, 3, 50], [333]]) {
      expect(await vllmPass({ body: body("vllm-chat-stream"), chunkSizes })).toEqual(whole);
    }
  });

  it("ignores keep-alive comments and event/id lines, reads CRLF frames, and reports cached prompt tokens", async () => {
    const routes = { "GET /v1/models": { body: '{"data":[{"id":"qwen2.5-7b-instruct"}]}' } };
    const job = await preparedJob(
      { ...routes, "POST /v1/chat/completions": { body: body("sse-keepalive-crlf"), chunkSizes: [7] } },
      { model: "qwen2.5-7b-instruct", params: { prompt: "Is it?" } },
    );
    const events = await collectPass(job);
    expect(texts(events)).toEqual(["Yes", ",", " it", " is", "."]);
    expect(events.at(-1)).toMatchObject({
      type: "result",
      metrics: {
        engine: "openai-compatible",
        prompt_tokens: 812,
        gen_tokens: 5,
        prompt_cached: true,
        finish_reason: "stop",
      },
    });
  });

  it("turns a stream cut before finish_reason and [DONE] into a stream_error", async () => {
    const events = await vllmPass({ body: body("vllm-chat-stream-truncated") });
    expect(texts(events)).toEqual(["Unified", " memory", " lets", " the", " CPU"]);
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        code: "stream_error",
        message: "The vllm server's stream ended before it finished (no finish_reason, no [DONE]).",
      },
    });
  });

  it("turns a stream cut in the middle of a frame into a stream_error", async () => {
    const whole = body("vllm-chat-stream");
    const events = await vllmPass({ body: whole.subarray(0, whole.indexOf(" pool") + 3) });
    expect(events.at(-1)).toMatchObject({ type: "error", error: { code: "stream_error" } });
  });

  it("turns an error object sent mid-stream into a stream_error with its message", async () => {
    const events = await vllmPass({ body: body("vllm-chat-stream-error") });
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        code: "stream_error",
        message: "The vllm server failed mid-stream: CUDA error: an illegal memory access was encountered",
      },
    });
  });

  it("reports a 404 for the model as missing_model with the server's words", async () => {
    const events = await vllmPass({ status: 404, body: body("vllm-model-not-found") });
    expect(events.at(-1)).toEqual({
      type: "error",
      error: {
        code: "missing_model",
        message:
          'The vllm server at http://127.0.0.1:8000 has no model "Qwen/Qwen2.5-0.5B-Instruct": The model `llama9` does not exist.',
      },
    });
  });
});

describe("createSseDecoder", () => {
  const decode = (lines: string[]) => {
    const decoder = createSseDecoder();
    const events = lines.map((line) => decoder.push(line)).filter((e) => e !== null);
    return { events, rest: decoder.end() };
  };

  it("joins the data lines of one event with newlines and keeps its event name and last id", () => {
    expect(decode(["id: 7", "event: delta", "data: a", "data:b", "", "data: c", ""]).events).toEqual([
      { event: "delta", data: "a\nb", id: "7" },
      { event: "message", data: "c", id: "7" },
    ]);
  });

  it("dispatches nothing for comments, retry lines or an event without data", () => {
    expect(decode([": keep-alive", "", "retry: 3000", "event: ping", ""])).toEqual({ events: [], rest: null });
  });

  it("hands back an event the stream left without its closing blank line", () => {
    expect(decode(["data: [DONE]"])).toEqual({ events: [], rest: { event: "message", data: "[DONE]", id: null } });
  });

  it("keeps llama-server's error: line as an error event", () => {
    expect(decode(['error: {"message":"boom"}', ""]).events).toEqual([
      { event: "error", data: '{"message":"boom"}', id: null },
    ]);
  });
});
