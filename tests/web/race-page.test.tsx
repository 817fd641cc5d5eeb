import { describe, expect, it, vi } from "vitest";
import type { RunView } from "../../coordinator/protocol/api.ts";
import type { StoredEvent } from "../../coordinator/protocol/race-state.ts";
import { replayEvents } from "../../web/src/lib/replay-events.ts";
import { RacePage } from "../../web/src/pages/race-page.tsx";
import { createFakeFetch, type FakeRoute, jsonResponse } from "./fake-fetch.ts";
import { llmRaceEvents } from "./llm-race-fixture.ts";
import { mountRoutes } from "./mount.tsx";
import { computeRaceEvents } from "./race-fixture.ts";

const events = computeRaceEvents([
  { name: "alpha", elapsed: [1500] },
  { name: "beta", elapsed: [900] },
]);

const mountRacePage = (path: string): HTMLElement => mountRoutes(path, { "/runs/:id": RacePage }).host;

/** The API's view of the finished run, without the progress lines only the events carry. */
function finishedRunView(stored: readonly StoredEvent[] = events): RunView {
  const state = replayEvents(stored);
  if (!state) throw new Error("fixture has no setup");
  return {
    id: state.run.id,
    workload: state.run.workload,
    status: "done",
    params: state.run.params,
    repeats: 1,
    warmup: 0,
    ghost_run_id: null,
    share_url: `/runs/${state.run.id}`,
    created_at: "2026-01-01T00:00:00.000Z",
    started_at: "2026-01-01T00:00:01.000Z",
    finished_at: "2026-01-01T00:00:03.000Z",
    lanes: state.lanes.map((lane) => ({
      lane_id: lane.lane_id,
      index: lane.index,
      agent_id: lane.agent_id,
      agent_name: lane.agent_name,
      backend: lane.backend,
      model: lane.model,
      params: lane.params,
      status: lane.status,
      error: lane.error,
      start_at: null,
      start_skew_ms: lane.start_skew_ms,
      start_skew_uncertainty_ms: lane.start_skew_uncertainty_ms,
      clock_offset_ms: lane.clock_offset_ms,
      ran_after: lane.ran_after,
      start_note: lane.start_note,
      provenance: lane.provenance,
      results: lane.results,
      summary: null,
    })),
  };
}

const alphaSample = {
  agent_id: "agent-alpha",
  at: 1,
  cpu_percent: 12,
  memory_used_bytes: 2 * 1024 ** 3,
  gpus: [{ index: 0, util_percent: 97, vram_used_bytes: 1024, power_w: 420, temp_c: 60 }],
};

describe("RacePage", () => {
  it("opens a finished run by replaying its events, without a socket", async () => {
    const fake = createFakeFetch({
      "GET /api/runs/run-1": () => jsonResponse(200, { run: finishedRunView() }),
      "GET /api/runs/run-1/events": () => new Response(events.map((e) => JSON.stringify(e)).join("\n")),
      "GET /api/runs/run-1/samples": () => new Response(`${JSON.stringify(alphaSample)}\n`),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const socket = vi.fn();
    vi.stubGlobal("WebSocket", socket);
    const host = mountRacePage("/runs/run-1");

    await vi.waitFor(() => expect(host.querySelector('[data-testid="lane-log"]')).not.toBeNull());
    expect(host.querySelector('[data-testid="run-status"]')?.textContent).toBe("done");
    expect(document.title).toBe("compute race · done · bench-race");
    const cards = [...host.querySelectorAll('[data-testid="lane-card"]')];
    expect(cards.map((card) => card.getAttribute("data-agent-name"))).toEqual(["alpha", "beta"]);
    expect(cards[0]?.querySelector('[data-testid="primes-found"]')?.textContent).toBe("5,761,455");
    expect(cards[1]?.querySelector('[data-testid="elapsed"]')?.textContent).toBe("900 ms");
    const places = [...host.querySelectorAll('[data-testid="summary-row"]')].map((row) =>
      row.getAttribute("data-agent-name"),
    );
    expect(places).toEqual(["beta", "alpha"]);
    expect(host.querySelector<HTMLInputElement>('[data-testid="share-link"]')?.value).toBe(
      `${window.location.origin}/runs/run-1`,
    );
    expect(host.querySelector('[data-testid="cancel-button"]')).toBeNull();
    expect(socket).not.toHaveBeenCalled();
    expect(fake.requests.map((r) => r.path).sort()).toEqual([
      "/api/runs/run-1",
      "/api/runs/run-1/events",
      "/api/runs/run-1/samples",
      "/api/session",
    ]);
    await vi.waitFor(() => expect(cards[0]?.querySelector('[data-testid="spark-gpu"]')?.textContent).toBe("GPU97 %"));
    expect(cards[0]?.querySelector('[data-testid="spark-power"]')?.textContent).toBe("Power420 W");
    expect(cards[1]?.querySelector('[data-testid="machine-sparklines"]')).toBeNull();
    expect(cards[0]?.querySelector('[data-testid="energy"]')?.textContent).toBe("Energy: not measured");
  });

  it("opens a run interrupted by a restart as interrupted, with each lane's error and no controls", async () => {
    const cutShort = events.slice(0, 4);
    const error = {
      code: "coordinator_restarted" as const,
      message: "The coordinator restarted; start the race again.",
    };
    const view = finishedRunView();
    const interrupted: RunView = {
      ...view,
      status: "interrupted",
      lanes: view.lanes.map((lane) => ({ ...lane, status: "lost", error, results: [] })),
    };
    const fake = createFakeFetch({
      "GET /api/session": () => jsonResponse(200, { operator: true }),
      "GET /api/runs/run-1": () => jsonResponse(200, { run: interrupted }),
      "GET /api/runs/run-1/events": () => new Response(cutShort.map((e) => JSON.stringify(e)).join("\n")),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const socket = vi.fn();
    vi.stubGlobal("WebSocket", socket);
    const host = mountRacePage("/runs/run-1");

    await vi.waitFor(() => expect(fake.requests.map((r) => r.path)).toContain("/api/runs/run-1/events"));
    await vi.waitFor(() =>
      expect([...host.querySelectorAll('[data-testid="lane-status"]')].map((node) => node.textContent)).toEqual([
        "lost",
        "lost",
      ]),
    );
    expect(host.querySelector('[data-testid="run-status"]')?.textContent).toBe("interrupted");
    expect([...host.querySelectorAll('[data-testid="lane-error"]')].map((node) => node.textContent)).toEqual([
      error.message,
      error.message,
    ]);
    expect(host.querySelector('[data-testid="cancel-button"]')).toBeNull();
    expect(host.querySelector(".connection")).toBeNull();
    expect(socket).not.toHaveBeenCalled();
  });

  it("follows a live run from the room's snapshot and deltas", async () => {
    const running = replayEvents(events.slice(0, 4));
    if (!running) throw new Error("fixture has no setup");
    const fake = createFakeFetch({
      "GET /api/runs/run-1": () => jsonResponse(200, { run: { ...finishedRunView(), status: "running" } }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const sockets: FakeWebSocket[] = [];
    class FakeWebSocket {
      onopen: (() => void) | null = null;
      onmessage: ((event: { data: string }) => void) | null = null;
      onclose: (() => void) | null = null;
      constructor(readonly url: string) {
        sockets.push(this);
      }
      send() {}
      close() {}
    }
    vi.stubGlobal("WebSocket", FakeWebSocket);
    const host = mountRacePage("/runs/run-1");

    await vi.waitFor(() => expect(sockets).toHaveLength(1));
    expect(sockets[0]?.url).toBe(`ws://${window.location.host}/parties/race/run-1?role=viewer`);
    sockets[0]?.onmessage?.({ data: JSON.stringify({ type: "race-snapshot", state: running }) });
    const status = (name: string) =>
      host.querySelector(`[data-agent-name="${name}"] [data-testid="lane-status"]`)?.textContent;
    // the store folds messages at the next animation frame
    await vi.waitFor(() => expect(status("alpha")).toBe("running"));
    expect(host.querySelector('[data-testid="run-status"]')?.textContent).toBe("running");
    expect(document.title).toBe("compute race · running · bench-race");
    sockets[0]?.onmessage?.({ data: JSON.stringify({ type: "race-delta", events: events.slice(4) }) });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="run-status"]')?.textContent).toBe("done"));
    expect(document.title).toBe("compute race · done · bench-race");
    expect(status("beta")).toBe("done");
    expect(host.querySelector('[data-testid="cancel-button"]')).toBeNull();
  });

  it("ranks an llm race by generation speed, and by the metric the viewer picks", async () => {
    const llm = llmRaceEvents([
      { name: "slow", rates: [20] },
      { name: "mocky", rates: [900], mock: true },
      { name: "fast", rates: [60] },
    ]);
    const fake = createFakeFetch({
      "GET /api/runs/run-llm": () => jsonResponse(200, { run: finishedRunView(llm) }),
      "GET /api/runs/run-llm/events": () => new Response(llm.map((e) => JSON.stringify(e)).join("\n")),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const host = mountRacePage("/runs/run-llm");
    const standings = () =>
      [...host.querySelectorAll('[data-testid="summary-row"]')].map((row) => [
        row.getAttribute("data-agent-name"),
        row.querySelector('[data-testid="place"]')?.textContent,
      ]);
    await vi.waitFor(() =>
      expect(host.querySelector('[data-testid="lane-text"]')?.textContent).toBe("The sky is blue."),
    );
    expect(standings()).toEqual([
      ["fast", "1"],
      ["slow", "2"],
      ["mocky", "—"],
    ]);
    const select = host.querySelector<HTMLSelectElement>('[data-testid="ranking-metric"]');
    if (!select) throw new Error("no ranking choice");
    expect(select.value).toBe("gen_tokens_per_s");
    select.value = "ttft_ms";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    // every real lane has a 180 ms TTFT: a tie, in lane order
    expect(standings()).toEqual([
      ["slow", "1"],
      ["fast", "1"],
      ["mocky", "—"],
    ]);
  });

  const liveRun = (routes: Record<string, FakeRoute>) => {
    const fake = createFakeFetch({
      "GET /api/runs/run-1": () => jsonResponse(200, { run: { ...finishedRunView(), status: "running" } }),
      ...routes,
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    vi.stubGlobal(
      "WebSocket",
      class {
        send() {}
        close() {}
      },
    );
    return { fake, host: mountRacePage("/runs/run-1") };
  };
  const button = (host: HTMLElement, name: string) =>
    host.querySelector<HTMLButtonElement>(`[data-testid="${name}-button"]`);

  it("gives a spectator a read-only view of a live race, marked watching", async () => {
    const { host, fake } = liveRun({ "GET /api/session": () => jsonResponse(200, { operator: false }) });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="race-watching"]')?.textContent).toBe("watching"));
    expect(host.querySelector('[data-testid="run-status"]')?.textContent).toBe("running");
    expect(button(host, "cancel")).toBeNull();
    expect(button(host, "delete")).toBeNull();
    expect(fake.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("asks the operator before cancelling, and sends nothing when they decline", async () => {
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    const { host, fake } = liveRun({ "POST /api/runs/run-1/cancel": () => jsonResponse(202, {}) });
    await vi.waitFor(() => expect(button(host, "cancel")).not.toBeNull());
    expect(host.querySelector('[data-testid="race-watching"]')).toBeNull();
    button(host, "cancel")?.click();
    expect(confirm).toHaveBeenCalledWith(
      "Cancel this race? Every machine stops where it is; the results so far are kept.",
    );
    expect(fake.requests.some((r) => r.method === "POST")).toBe(false);
  });

  it("shows the API's refusal when the operator confirms cancel without a valid cookie", async () => {
    const message = "This action needs the operator key: open the dashboard link printed by `npm start`.";
    vi.spyOn(window, "confirm").mockReturnValue(true);
    const { host, fake } = liveRun({
      "POST /api/runs/run-1/cancel": () => jsonResponse(401, { error: { code: "unauthorized", message } }),
    });
    await vi.waitFor(() => expect(button(host, "cancel")).not.toBeNull());
    button(host, "cancel")?.click();
    await vi.waitFor(() => expect(host.querySelector(".cancel [role=alert]")?.textContent).toBe(message));
    expect(fake.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual(["/api/runs/run-1/cancel"]);
  });

  it("deletes a finished race after confirmation and goes to the runs list", async () => {
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(true);
    const fake = createFakeFetch({
      "GET /api/runs/run-1": () => jsonResponse(200, { run: finishedRunView() }),
      "GET /api/runs/run-1/events": () => new Response(events.map((e) => JSON.stringify(e)).join("\n")),
      "DELETE /api/runs/run-1": () => jsonResponse(200, { deleted: "run-1" }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host, history } = mountRoutes("/runs/run-1", {
      "/runs/:id": RacePage,
      "/runs": () => <p data-testid="runs-route">runs</p>,
    });
    await vi.waitFor(() => expect(button(host, "delete")).not.toBeNull());
    expect(button(host, "cancel")).toBeNull();
    button(host, "delete")?.click();
    expect(confirm).toHaveBeenCalledWith("Delete this race with its results and events? The share link stops working.");
    await vi.waitFor(() => expect(history.get()).toBe("/runs"));
    expect(fake.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual(["/api/runs/run-1"]);
  });

  it("shows the API's message when the run does not exist", async () => {
    const fake = createFakeFetch({});
    vi.stubGlobal("fetch", fake.fetchFn);
    const host = mountRacePage("/runs/nope");
    await vi.waitFor(() =>
      expect(host.querySelector('[role="alert"]')?.textContent).toBe("no route GET /api/runs/nope"),
    );
    expect(document.title).toBe("Race · bench-race");
  });
});
