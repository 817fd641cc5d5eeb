import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createModelPuller, noOllamaMessage } from "../../../agent/create-model-puller.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import type { ModelPullProgress } from "../../../coordinator/protocol/messages.ts";
import { createReplayFetch } from "../../helpers/replay-fetch.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/backends/ollama/${name}.txt`, import.meta.url), "utf8");

/** A clock that moves `stepMs` each time it is read. */
function steppingClock(stepMs: number) {
  let at = 0;
  return () => {
    at += stepMs;
    return at;
  };
}

function setup(options: { ollamaUrl?: string | null; stepMs?: number; pullBody?: string } = {}) {
  const reports: ModelPullProgress[] = [];
  const pulled: string[] = [];
  const replay = createReplayFetch({ "POST /api/pull": { body: options.pullBody ?? fixture("pull") } });
  const puller = createModelPuller({
    ollamaUrl: options.ollamaUrl === undefined ? "http://ollama.test" : options.ollamaUrl,
    fetch: replay.fetch,
    now: steppingClock(options.stepMs ?? 1000),
    report: (progress) => reports.push(progress),
    onPulled: async (model) => {
      pulled.push(model);
    },
    log: silentLogger,
  });
  return { puller, reports, pulled, replay };
}

describe("model puller", () => {
  it("reports each step, re-probes after success, then sends the final report", async () => {
    const { puller, reports, pulled } = setup();
    puller.pull("llama3.2:1b");
    await puller.settled();
    expect(reports.map((r) => [r.status, r.completed_bytes, r.total_bytes, r.done])).toEqual([
      ["pulling manifest", null, null, false],
      ["pulling dde5aa3fc5ff", null, 2019377376, false],
      ["pulling dde5aa3fc5ff", 1048576, 2019377376, false],
      ["pulling dde5aa3fc5ff", 2019377376, 2019377376, false],
      ["verifying sha256 digest", null, null, false],
      ["writing manifest", null, null, false],
      ["success", null, null, false],
      ["success", null, null, true],
    ]);
    expect(reports.at(-1)).toEqual({
      type: "model-pull-progress",
      model: "llama3.2:1b",
      status: "success",
      completed_bytes: null,
      total_bytes: null,
      done: true,
    });
    expect(pulled).toEqual(["llama3.2:1b"]);
  });

  it("sends at most one progress report per 250 ms, plus the final one", async () => {
    const { puller, reports } = setup({ stepMs: 100 });
    puller.pull("llama3.2:1b");
    await puller.settled();
    // the clock reads 100, 200, ... per line: lines at 100, 400 and 700 ms pass the throttle
    expect(reports.map((r) => [r.status, r.done])).toEqual([
      ["pulling manifest", false],
      ["pulling dde5aa3fc5ff", false],
      ["success", false],
      ["success", true],
    ]);
  });

  it("ignores a second request for the model while it is being pulled, and runs pulls one at a time", async () => {
    const { puller, replay } = setup();
    puller.pull("a");
    puller.pull("a");
    puller.pull("b");
    await puller.settled();
    expect(replay.requests.map((r) => r.body)).toEqual([
      { model: "a", stream: true },
      { model: "b", stream: true },
    ]);
  });

  it("reports an unknown model in words, without re-probing", async () => {
    const { puller, reports, pulled } = setup({ pullBody: fixture("pull-error") });
    puller.pull("nope");
    await puller.settled();
    expect(reports.at(-1)).toEqual({
      type: "model-pull-progress",
      model: "nope",
      status: "failed",
      completed_bytes: null,
      total_bytes: null,
      done: true,
      error:
        'Ollama has no model named "nope": check the name (and tag) on ollama.com/library. (Ollama could not pull nope: pull model manifest: file does not exist)',
    });
    expect(pulled).toEqual([]);
  });

  it("reports an unreachable Ollama in words", async () => {
    const reports: ModelPullProgress[] = [];
    const puller = createModelPuller({
      ollamaUrl: "http://127.0.0.1:11434",
      fetch: async () => {
        throw new TypeError("fetch failed", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });
      },
      now: steppingClock(1000),
      report: (progress) => reports.push(progress),
      onPulled: async () => {},
      log: silentLogger,
    });
    puller.pull("llama3.2");
    await puller.settled();
    expect(reports).toHaveLength(1);
    expect(reports[0]?.error).toMatch(/^Ollama at http:\/\/127\.0\.0\.1:11434 is not reachable \(/);
  });

  it("answers at once that a machine without Ollama cannot pull", () => {
    const { puller, reports, replay } = setup({ ollamaUrl: null });
    puller.pull("llama3.2");
    expect(reports).toEqual([
      {
        type: "model-pull-progress",
        model: "llama3.2",
        status: "failed",
        completed_bytes: null,
        total_bytes: null,
        done: true,
        error: noOllamaMessage,
      },
    ]);
    expect(replay.requests).toEqual([]);
  });
});
