import { describe, expect, it } from "vitest";
import type { BackendJob, PreparedJob, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createMockBackend, mockWords } from "../../../agent/backends/mock/create-mock-backend.ts";
import { collectPass, describeBackendContract } from "./backend-contract.ts";

const signal = new AbortController().signal;
const job: BackendJob = { model: "llama3.2", params: { prompt: "Say something.", max_tokens: 12, seed: 42 } };

/** A delay that waits for nothing, counting its calls; after `stallAfter` calls it waits until aborted. */
function instantDelay(stallAfter = Number.POSITIVE_INFINITY) {
  const calls: number[] = [];
  const delay = (ms: number, abortSignal: AbortSignal) => {
    calls.push(ms);
    if (calls.length <= stallAfter) return Promise.resolve();
    if (abortSignal.aborted) return Promise.reject(abortSignal.reason);
    return new Promise<void>((_, reject) => {
      abortSignal.addEventListener("abort", () => reject(abortSignal.reason), { once: true });
    });
  };
  return { delay, calls };
}

async function prepared(lane: BackendJob, stallAfter?: number): Promise<PreparedJob> {
  const result = await createMockBackend({ delay: instantDelay(stallAfter).delay }).prepare(lane, signal);
  if (!result.ok) throw new Error(result.error.message);
  return result.job;
}

const texts = (events: WorkloadEvent[]) => events.flatMap((e) => (e.type === "text" ? [e.text] : []));

describeBackendContract("mock", () => ({
  complete: () => prepared(job),
  stalled: () => prepared(job, 3),
}));

describe("mock backend", () => {
  it("probes as reachable with its one model", async () => {
    expect(await createMockBackend().probe(signal)).toEqual({
      reachable: true,
      version: "1",
      models: [{ name: "mock", size_bytes: null, digest: null }],
    });
  });

  it("names itself the mock engine, local, in the job's provenance", async () => {
    expect((await prepared(job)).engine).toEqual({
      engine: "mock",
      engine_version: "1",
      model_digest: null,
      remote_engine: false,
      engine_host: null,
    });
  });

  it("streams max_tokens words, one per token, with its own cumulative count, and ends with a result", async () => {
    const events = await collectPass(await prepared(job));
    const words = mockWords(42, 12);
    expect(events).toEqual([
      { type: "begin" },
      { type: "first-byte" },
      ...words.map((word, i) => ({ type: "text", text: i === 0 ? word : ` ${word}`, tokens: i + 1 })),
      {
        type: "result",
        metrics: {
          engine: "mock",
          model: "llama3.2",
          prompt_tokens: 2,
          gen_tokens: 12,
          engine_prompt_eval_ms: null,
          engine_gen_ms: null,
          load_ms: null,
          engine_total_ms: null,
          prompt_cached: false,
          finish_reason: "length",
        },
      },
    ]);
  });

  it("streams the same text for the same seed and another text for another seed", async () => {
    const text = async (seed: number) =>
      texts(await collectPass(await prepared({ ...job, params: { ...job.params, seed } }))).join("");
    expect(await text(7)).toBe(await text(7));
    expect(await text(7)).not.toBe(await text(8));
    expect(mockWords(42, 5)).toEqual(mockWords(42, 5));
  });

  it("waits tokenMs before each token through the injected delay", async () => {
    const { delay, calls } = instantDelay();
    const result = await createMockBackend({ tokenMs: 5, delay }).prepare(job, signal);
    await collectPass(result.ok ? result.job : (null as never));
    expect(calls).toEqual(Array.from({ length: 12 }, () => 5));
  });

  it("paces tokens with a real timer by default and stops it when aborted", async () => {
    const result = await createMockBackend({ tokenMs: 60_000 }).prepare(job, signal);
    const controller = new AbortController();
    const events: WorkloadEvent[] = [];
    const run = (async () => {
      for await (const event of (result.ok ? result.job : (null as never)).run(
        { repeat: 0, warmup: false },
        controller.signal,
      )) {
        events.push(event);
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await run;
    expect(events).toEqual([
      { type: "begin" },
      { type: "error", error: { code: "cancelled", message: "The pass was cancelled." } },
    ]);
  });

  it("refuses invalid params as invalid_params", async () => {
    const result = await createMockBackend().prepare({ model: null, params: { prompt: "x", temperature: 5 } }, signal);
    expect(result).toEqual({
      ok: false,
      error: { code: "invalid_params", message: "Invalid LLM params: temperature must be at most 2" },
    });
  });

  it("runs a lane without a model as model mock", async () => {
    const events = await collectPass(await prepared({ model: null, params: { prompt: "x", max_tokens: 1 } }));
    expect(events.at(-1)).toMatchObject({ type: "result", metrics: { model: "mock", gen_tokens: 1 } });
  });
});
