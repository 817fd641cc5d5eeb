/**
 * `npm run bench:harness`: what the agent's harness adds to an LLM engine's own clock. Runs the
 * runner (the same path an agent takes) on the embedded llama.cpp engine with a generated model,
 * and prints `harness_overhead_ms` p50/p99 (wall total minus the engine's total) and the agent's
 * wall-clock tokens/s against the engine's. Options: --passes 20 --tokens 128 --threads N
 * --embd 1024 --layers 8 (the generated model's size).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createLlamaCppBackend } from "../agent/backends/llamacpp/create-llamacpp-backend.ts";
import { createRunner } from "../agent/runner.ts";
import type { JobEvent, Metrics } from "../coordinator/protocol/job.ts";
import { silentLogger } from "../coordinator/protocol/logger.ts";
import { nearestRank } from "../coordinator/protocol/summary.ts";
import { writeTinyGguf } from "../tests/helpers/write-tiny-gguf.ts";

const { values } = parseArgs({
  options: {
    passes: { type: "string", default: "20" },
    tokens: { type: "string", default: "128" },
    threads: { type: "string" },
    /** model width and depth: big enough that one token takes milliseconds, as real models do */
    embd: { type: "string", default: "1024" },
    layers: { type: "string", default: "8" },
  },
});
const passes = Number(values.passes);
const maxTokens = Number(values.tokens);

const dir = mkdtempSync(join(os.tmpdir(), "bench-harness-"));
try {
  const shape = {
    embeddingLength: Number(values.embd),
    blockCount: Number(values.layers),
    feedForwardLength: Number(values.embd) * 3,
    headCount: 16,
    headCountKv: 8,
  };
  const bytes = await writeTinyGguf(join(dir, "tiny.gguf"), 1, shape);
  const backend = createLlamaCppBackend({
    ggufDir: dir,
    ...(values.threads ? { threads: Number(values.threads) } : {}),
  });
  const runner = createRunner({
    backends: new Map([["llamacpp", backend]]),
    now: () => performance.now(),
    agentVersion: "bench",
    os: os.platform(),
    hardwareId: "bench",
    log: silentLogger,
  });
  const results: Metrics[] = [];
  await new Promise<void>((resolve, reject) =>
    runner.enqueue(
      {
        job_id: "bench/l0",
        run_id: "bench",
        lane_id: "l0",
        workload: "llm",
        backend: "llamacpp",
        model: "tiny.gguf",
        params: { prompt: "Why is the sky blue?", max_tokens: maxTokens, num_ctx: 1024 },
        repeats: passes,
        warmup: 2,
      },
      {
        event(event: JobEvent) {
          if (event.type === "repeat-finish" && !event.warmup) results.push(event.metrics);
          if (event.type !== "job-finish") return;
          if (event.status === "done") resolve();
          else reject(new Error(`${event.error?.code}: ${event.error?.message}`));
        },
      },
    ),
  );
  const numbers = (name: string) => results.map((m) => m[name]).filter((v): v is number => typeof v === "number");
  const overhead = numbers("harness_overhead_ms");
  const ratios = results.flatMap((m) =>
    typeof m.gen_tokens_per_s === "number" && typeof m.engine_gen_tokens_per_s === "number"
      ? [m.gen_tokens_per_s / m.engine_gen_tokens_per_s]
      : [],
  );
  const wall = numbers("gen_tokens_per_s");
  const engine = numbers("engine_gen_tokens_per_s");
  const f = (n: number, d = 2) => n.toFixed(d);
  process.stdout.write(
    [
      `embedded llama.cpp, generated F32 model (${shape.blockCount} layers, n_embd ${shape.embeddingLength}, ${(bytes / 1e6).toFixed(0)} MB), ${values.threads ?? "default"} threads, ${passes} passes x ${maxTokens} tokens after 2 warm-ups; ${os.cpus()[0]?.model} x ${os.availableParallelism()}, load average ${os.loadavg()[0]?.toFixed(2)}`,
      "",
      "| harness_overhead_ms p50 / p99 | wall gen tokens/s (median) | engine gen tokens/s (median) | wall / engine p50 (min-max) |",
      "|---|---|---|---|",
      `| ${f(nearestRank(overhead, 0.5))} / ${f(nearestRank(overhead, 0.99))} | ${f(nearestRank(wall, 0.5), 1)} | ${f(nearestRank(engine, 0.5), 1)} | ${f(nearestRank(ratios, 0.5), 4)} (${f(Math.min(...ratios), 4)}-${f(Math.max(...ratios), 4)}) |`,
      "",
    ].join("\n"),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
