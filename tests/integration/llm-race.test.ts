import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadNodeLlamaCpp } from "../../agent/backends/llamacpp/load-node-llama-cpp.ts";
import { storedEventSchema } from "../../coordinator/protocol/race-state.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { type OllamaStandIn, startOllamaStandIn } from "../helpers/ollama-stand-in.ts";
import { writeTinyGguf } from "../helpers/write-tiny-gguf.ts";

const installed = (await loadNodeLlamaCpp()) !== null;

describe.skipIf(!installed)(
  "an llm race between the embedded llama.cpp engine and Ollama in local mode (skipped only when node-llama-cpp is not installed: run `npm run llamacpp:install`)",
  () => {
    let race: LocalRace;
    let ollama: OllamaStandIn;
    const ggufDir = mkdtempSync(join(os.tmpdir(), "bench-race-gguf-"));
    beforeAll(async () => {
      await writeTinyGguf(join(ggufDir, "tiny.gguf"));
      ollama = await startOllamaStandIn();
      race = await startLocalRace({ agentNames: [] });
      await race.addAgent("ollama-box", { ollamaUrl: ollama.url });
      await race.addAgent("gguf-box", { ggufDir });
    });
    afterAll(async () => {
      await race?.stop();
      await ollama?.close();
      rmSync(ggufDir, { recursive: true, force: true });
    });

    it("lists each machine's engines with their models", async () => {
      const agents = await race.listAgents();
      const byName = new Map(agents.map((a) => [a.name, a]));
      expect(byName.get("ollama-box")?.backends.ollama?.models.map((m) => m.name)).toContain("llama3.2:latest");
      expect(byName.get("gguf-box")?.backends.llamacpp).toMatchObject({
        reachable: true,
        models: [{ name: "tiny.gguf" }],
      });
    });

    it("races both, stores engine-counted metrics, output and timeline, with fewer text events than tokens", async () => {
      const maxTokens = 40;
      const run = await race.startRun({
        workload: "llm",
        lanes: [
          { agent: "ollama-box", backend: "ollama", model: "llama3.2" },
          { agent: "gguf-box", backend: "llamacpp", model: "tiny.gguf" },
        ],
        params: { prompt: "Why is the sky blue?", max_tokens: maxTokens, num_ctx: 512 },
        repeats: 2,
        warmup: 1,
      });
      await race.raceFinished(run.id);
      const stored = await race.getRun(run.id);
      expect(stored.status).toBe("done");
      expect(stored.lanes.map((l) => [l.agent_name, l.backend, l.status])).toEqual([
        ["ollama-box", "ollama", "done"],
        ["gguf-box", "llamacpp", "done"],
      ]);
      const [viaOllama, embedded] = stored.lanes;

      for (const result of viaOllama?.results ?? []) {
        expect(result.metrics).toMatchObject({
          engine: "ollama",
          gen_tokens: 14,
          prompt_tokens: 31,
          engine_gen_tokens_per_s: 14 / 0.654321,
        });
        expect(result.output).toMatch(/^The sky looks blue/);
        expect(result.timeline?.t_ms).toHaveLength(14);
        expect(result.metrics.ttft_ms).toBeGreaterThan(0);
      }
      expect(viaOllama?.results).toHaveLength(3);
      expect(viaOllama?.provenance).toMatchObject({ engine: "ollama", remote_engine: false });
      expect(ollama.chats[0]).toMatchObject({ model: "llama3.2:latest", stream: true });

      for (const result of embedded?.results ?? []) {
        expect(result.metrics.gen_tokens).toBe(maxTokens);
        expect(result.timeline?.tokens.at(-1)).toBe(maxTokens);
        expect(typeof result.output).toBe("string");
        expect(result.metrics.gen_tokens_per_s).toBeGreaterThan(0);
      }
      expect(embedded?.summary?.gen_tokens_per_s?.n).toBe(2);
      expect(embedded?.provenance?.model_digest).toMatch(/^gguf:/);

      const events = (await (await race.api(`/api/runs/${run.id}/events`)).text())
        .trim()
        .split("\n")
        .map((line) => storedEventSchema.parse(JSON.parse(line)));
      const textEvents = events.filter((e) => e.event.type === "lane-event" && e.event.event.type === "job-text");
      const tokens = 3 * 14 + 3 * maxTokens;
      expect(textEvents.length).toBeGreaterThan(0);
      expect(textEvents.length).toBeLessThan(tokens);

      const csv = (await (await race.api(`/api/runs/${run.id}/export.csv`)).text()).trim().split(/\r?\n/);
      expect(csv).toHaveLength(1 + 2 * 3);
      expect(csv[0]).toContain("gen_tokens_per_s");
    });
  },
);
