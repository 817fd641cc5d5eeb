// Builds the stored events of a small llm race for the web tests: one lane per machine on ollama
// (or the mock engine), streaming text in chunks with token counts, then one result per pass.
import type { Metrics, Provenance } from "../../coordinator/protocol/job.ts";
import type { RaceEvent, StoredEvent } from "../../coordinator/protocol/race-state.ts";

export interface LlmFixtureLane {
  name: string;
  /** gen_tokens_per_s of each measured pass */
  rates: number[];
  mock?: boolean;
}

export const llmParams = { prompt: "Why is the sky blue?", max_tokens: 256, num_ctx: 4096, temperature: 0.2, seed: 42 };

const provenance: Provenance = {
  agent_version: "0.1.0",
  os: "linux",
  hardware_id: "hw",
  engine: "ollama",
  engine_version: "0.9.0",
  model_digest: "sha256:abc",
  remote_engine: false,
  engine_host: "http://127.0.0.1:11434",
  params: {},
};

/** The metrics of one finished pass generating 128 tokens at `rate` tokens/s (wall) and a bit faster by the engine. */
export function llmMetrics(rate: number, mock = false): Metrics {
  return {
    engine: mock ? "mock" : "ollama",
    model: "llama3.2:3b",
    ttft_ms: 180,
    ttfr_ms: 150,
    prompt_tokens: 12,
    prompt_eval_ms: 40,
    prompt_tokens_per_s: 300,
    gen_tokens: 128,
    gen_tokens_per_s: rate,
    total_ms: 180 + (128 / rate) * 1000,
    load_ms: 0,
    engine_prompt_tokens_per_s: 320,
    engine_gen_tokens_per_s: rate + 2,
    harness_overhead_ms: 6,
    itl_p50_ms: 1000 / rate,
    itl_p99_ms: 2000 / rate,
    fallback_reason: mock ? "Ollama at http://127.0.0.1:11434 is not reachable" : null,
    prompt_cached: false,
  };
}

/** The events of one lane's pass: its start, two text chunks, and its result. */
export function llmPassEvents(laneId: string, repeat: number, rate: number, mock = false): RaceEvent[] {
  const laneEvent = (event: Extract<RaceEvent, { type: "lane-event" }>["event"]): RaceEvent => ({
    type: "lane-event",
    lane_id: laneId,
    job_seq: 1,
    event,
  });
  return [
    laneEvent({ type: "repeat-start", repeat, warmup: false }),
    laneEvent({ type: "job-text", repeat, warmup: false, text: "The sky ", tokens: 2, t_ms: 200 }),
    laneEvent({ type: "job-text", repeat, warmup: false, text: "is blue.", tokens: 4, t_ms: 250 }),
    laneEvent({
      type: "repeat-finish",
      repeat,
      warmup: false,
      metrics: llmMetrics(rate, mock),
      output: "The sky is blue.",
      timeline: { t_ms: [200, 250], tokens: [2, 4] },
    }),
  ];
}

/** Every event of the race, numbered from seq 1, ending with race-finish. */
export function llmRaceEvents(lanes: readonly LlmFixtureLane[]): StoredEvent[] {
  const repeats = Math.max(...lanes.map((lane) => lane.rates.length));
  const events: RaceEvent[] = [
    {
      type: "race-setup",
      run: { id: "run-llm", workload: "llm", params: llmParams, repeats, warmup: 0, created_at: 1_000 },
      lanes: lanes.map((lane, index) => ({
        lane_id: `lane-${lane.name}`,
        index,
        agent_id: `agent-${lane.name}`,
        agent_name: lane.name,
        backend: lane.mock ? "mock" : "ollama",
        model: "llama3.2:3b",
        params: llmParams,
      })),
    },
    { type: "race-start" },
  ];
  for (const lane of lanes) {
    const laneId = `lane-${lane.name}`;
    events.push({ type: "lane-event", lane_id: laneId, job_seq: 1, event: { type: "job-start", provenance } });
    for (const [repeat, rate] of lane.rates.entries()) events.push(...llmPassEvents(laneId, repeat, rate, lane.mock));
    events.push({
      type: "lane-event",
      lane_id: laneId,
      job_seq: 1,
      event: { type: "job-finish", status: "done", error: null },
    });
  }
  events.push({ type: "race-finish", status: "done" });
  return events.map((event, index) => ({ seq: index + 1, at: 10_000 + index * 100, event }));
}
