import { describe, expect, it, vi } from "vitest";
import type { RunView } from "../../coordinator/protocol/api.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { RacePage } from "../../web/src/pages/race-page.tsx";
import { createFakeFetch, jsonResponse } from "./fake-fetch.ts";
import { mountRoutes } from "./mount.tsx";
import { computeRaceEvents } from "./race-fixture.ts";

const payload = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>`;

describe("HTML injection", () => {
  it("shows agent-supplied names and errors as text, never as markup", async () => {
    const events = computeRaceEvents([
      { name: payload, elapsed: [1500] },
      { name: "beta", elapsed: [900] },
    ]);
    const state = replayEvents(events);
    if (!state) throw new Error("fixture has no setup");
    const run: RunView = {
      id: state.run.id,
      workload: state.run.workload,
      status: "failed",
      params: state.run.params,
      repeats: 1,
      warmup: 0,
      ghost_run_id: null,
      name: null,
      share_url: `/runs/${state.run.id}`,
      created_at: "2026-01-01T00:00:00.000Z",
      started_at: "2026-01-01T00:00:01.000Z",
      finished_at: "2026-01-01T00:00:03.000Z",
      lanes: state.lanes.map((lane) => ({
        ...lane,
        start_at: null,
        status: "failed",
        error: { code: "engine_error", message: payload },
        summary: null,
      })),
    };
    vi.stubGlobal(
      "fetch",
      createFakeFetch({
        "GET /api/runs/run-1": () => jsonResponse(200, { run }),
        "GET /api/runs/run-1/events": () => new Response(""),
      }).fetchFn,
    );
    vi.stubGlobal("WebSocket", vi.fn());
    const host = mountRoutes("/runs/run-1", { "/runs/:id": RacePage }).host;
    await vi.waitFor(() => expect(host.textContent).toContain(payload));
    expect(host.querySelector("img")).toBeNull();
    expect(host.querySelector("script")).toBeNull();
    expect((window as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
