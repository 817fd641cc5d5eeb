import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BackendJob, PreparedJob, WorkloadEvent } from "../../../agent/backends/backend.ts";
import { createLlamaCppBackend } from "../../../agent/backends/llamacpp/create-llamacpp-backend.ts";
import { hashGgufIdentity } from "../../../agent/backends/llamacpp/hash-gguf-identity.ts";
import { loadNodeLlamaCpp, type NodeLlamaCpp } from "../../../agent/backends/llamacpp/load-node-llama-cpp.ts";
import { writeTinyGguf } from "../../helpers/write-tiny-gguf.ts";
import { collectPass, describeBackendContract } from "./backend-contract.ts";

const installed = (await loadNodeLlamaCpp()) !== null;
const signal = new AbortController().signal;
const prompt = "Explain in three sentences why the sky is blue.";

const dir = await mkdtemp(join(tmpdir(), "llamacpp-backend-"));
let modelSize = 0;
beforeAll(async () => {
  modelSize = await writeTinyGguf(join(dir, "tiny.gguf"));
  await mkdir(join(dir, "sub"));
  await writeTinyGguf(join(dir, "sub", "hidden.gguf"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** node-llama-cpp stand-in whose llama.cpp never evaluates: enough for everything before loading a model */
const fakeBinding: NodeLlamaCpp = {
  version: "0.0.0-fake",
  getLlama: async () => ({
    gpu: false,
    llamaCppRelease: { release: "fake" },
    loadModel: () => Promise.reject(new Error("the fake engine loads no model")),
    dispose: async () => {},
  }),
  resolveChatWrapper: () => {
    throw new Error("the fake engine has no chat template");
  },
};

const fakeBackend = () => createLlamaCppBackend({ ggufDir: dir, loadNodeLlamaCpp: async () => fakeBinding });
const job = (model: string, params: Record<string, unknown> = {}): BackendJob => ({
  model,
  params: { prompt, max_tokens: 16, num_ctx: 512, ...params },
});

describe("llamacpp backend without running llama.cpp", () => {
  it("probes as unreachable with the one command that installs node-llama-cpp when it is missing", async () => {
    const backend = createLlamaCppBackend({ ggufDir: dir, loadNodeLlamaCpp: async () => null });
    const probe = await backend.probe(signal);
    expect(probe).toMatchObject({ reachable: false, version: null, models: [] });
    expect(probe.error).toContain("`node scripts/install-llamacpp.mjs`");
    const prepared = await backend.prepare(job("tiny.gguf"), signal);
    expect(prepared).toMatchObject({ ok: false, error: { code: "engine_unreachable" } });
  });

  it("lists the folder's .gguf files by name with their size and header identity, not those of subfolders", async () => {
    const probe = await fakeBackend().probe(signal);
    expect(probe).toEqual({
      reachable: true,
      version: "node-llama-cpp 0.0.0-fake, llama.cpp fake (cpu)",
      models: [{ name: "tiny.gguf", size_bytes: modelSize, digest: await hashGgufIdentity(join(dir, "tiny.gguf")) }],
    });
    expect(probe.models[0]?.digest).toMatch(new RegExp(`^gguf:${modelSize}:[0-9a-f]{64}$`));
  });

  it("probes a missing folder as unreachable, naming the folder and the flag", async () => {
    const backend = createLlamaCppBackend({ ggufDir: join(dir, "nope"), loadNodeLlamaCpp: async () => fakeBinding });
    const probe = await backend.probe(signal);
    expect(probe.reachable).toBe(false);
    expect(probe.error).toBe(
      `the GGUF folder ${join(dir, "nope")} cannot be read (ENOENT). Create it or pass --gguf-dir.`,
    );
  });

  it("refuses a model name that leaves the folder or names a subfolder as invalid_params", async () => {
    for (const name of ["../tiny.gguf", "sub/hidden.gguf", "sub\\hidden.gguf", "..", join(dir, "tiny.gguf")]) {
      const prepared = await fakeBackend().prepare(job(name), signal);
      expect(prepared).toMatchObject({ ok: false, error: { code: "invalid_params" } });
      if (!prepared.ok) expect(prepared.error.message).toContain("model:");
    }
  });

  it("answers a model the folder lacks with missing_model, listing what it has", async () => {
    const prepared = await fakeBackend().prepare(job("llama-3-8b.gguf"), signal);
    expect(prepared).toEqual({
      ok: false,
      error: {
        code: "missing_model",
        message: `The GGUF folder ${dir} has no model "llama-3-8b.gguf" (it has: tiny.gguf). Put the .gguf file there or pass --gguf-dir.`,
      },
    });
  });

  it("names the field of invalid params", async () => {
    const prepared = await fakeBackend().prepare(job("tiny.gguf", { max_tokens: 0 }), signal);
    expect(prepared).toEqual({
      ok: false,
      error: { code: "invalid_params", message: "Invalid LLM params: max_tokens must be at least 1" },
    });
  });
});

describe.skipIf(!installed)(
  "llamacpp backend on the tiny GGUF (skipped only when node-llama-cpp is not installed: run `node scripts/install-llamacpp.mjs`)",
  () => {
    // one thread: CI machines have two cores shared with the other test files, and llama.cpp's threads spin
    const shared = createLlamaCppBackend({ ggufDir: dir, threads: 1 });
    const prepare = async (params: Record<string, unknown> = {}): Promise<PreparedJob> => {
      const prepared = await shared.prepare(job("tiny.gguf", params), signal);
      if (!prepared.ok) throw new Error(`prepare failed: ${prepared.error.code}: ${prepared.error.message}`);
      return prepared.job;
    };
    const resultOf = (events: WorkloadEvent[]) => {
      const last = events.at(-1);
      if (last?.type !== "result") throw new Error(`the pass ended with ${JSON.stringify(last)}`);
      return last.metrics;
    };

    it("probes node-llama-cpp 3.21.1 and its llama.cpp build", async () => {
      const probe = await shared.probe(signal);
      expect(probe.reachable).toBe(true);
      expect(probe.version).toMatch(/^node-llama-cpp 3\.21\.1, llama\.cpp \S+ \(\w+\)$/);
    });

    it("generates exactly max_tokens tokens, one text event each, counted by the engine", async () => {
      const prepared = await prepare({ max_tokens: 16 });
      expect(prepared.engine).toMatchObject({
        engine: "llama.cpp (embedded)",
        model_digest: await hashGgufIdentity(join(dir, "tiny.gguf")),
        remote_engine: false,
        engine_host: null,
      });
      const events = await collectPass(prepared);
      await prepared.dispose();
      const texts = events.filter((e) => e.type === "text");
      // one event per token; a final one may flush a character held back at a byte-token boundary
      expect(texts.slice(0, 16).map((e) => e.tokens)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      expect(texts.at(-1)?.tokens).toBe(16);
      expect(texts.slice(16).every((e) => e.tokens === 16 && e.text !== "")).toBe(true);
      const metrics = resultOf(events);
      expect(metrics).toMatchObject({
        engine: "llama.cpp (embedded)",
        model: "tiny.gguf",
        gen_tokens: 16,
        load_ms: null,
        prompt_cached: false,
        finish_reason: "length",
      });
      expect(metrics.prompt_tokens).toBeGreaterThan(10);
      for (const name of ["engine_prompt_eval_ms", "engine_gen_ms", "engine_total_ms"]) {
        expect(metrics[name]).toBeGreaterThan(0);
      }
      expect(metrics.engine_total_ms).toBeGreaterThanOrEqual(
        (metrics.engine_prompt_eval_ms as number) + (metrics.engine_gen_ms as number),
      );
    });

    it("evaluates the whole prompt on every pass when cache_prompt is false", async () => {
      const prepared = await prepare();
      const first = resultOf(await collectPass(prepared));
      const second = resultOf(await collectPass(prepared));
      await prepared.dispose();
      expect(second.prompt_tokens).toBe(first.prompt_tokens);
      expect([first.prompt_cached, second.prompt_cached]).toEqual([false, false]);
    });

    it("reuses the evaluated prompt on the next pass when cache_prompt is true", async () => {
      const prepared = await prepare({ cache_prompt: true });
      const first = resultOf(await collectPass(prepared));
      const second = resultOf(await collectPass(prepared));
      await prepared.dispose();
      expect(first.prompt_cached).toBe(false);
      expect(second.prompt_cached).toBe(true);
      expect(second.prompt_tokens).toBeLessThan(first.prompt_tokens as number);
      expect(second.gen_tokens).toBe(16);
    });

    it("refuses a prompt that does not fit beside max_tokens in num_ctx as invalid_params", async () => {
      const prepared = await shared.prepare(
        job("tiny.gguf", { prompt: "the sky ".repeat(200), max_tokens: 400 }),
        signal,
      );
      expect(prepared).toMatchObject({ ok: false, error: { code: "invalid_params" } });
      if (!prepared.ok) expect(prepared.error.message).toMatch(/and max_tokens \(400\) do not fit in num_ctx \(512\)/);
    });

    describeBackendContract("llamacpp", () => ({
      complete: () => prepare({ max_tokens: 24 }),
      // ~1 ms a token: 3,000 tokens outlast the abort by far
      stalled: () => prepare({ max_tokens: 3_000, num_ctx: 4_096 }),
    }));
  },
);
