import { describe, expect, it, vi } from "vitest";
import type { RunListItem } from "../../coordinator/protocol/api.ts";
import { RunsPage } from "../../web/src/pages/runs-page.tsx";
import { createFakeFetch, type FakeRoute, jsonResponse } from "./fake-fetch.ts";
import { mountRoutes } from "./mount.tsx";

const item = (id: string, created: string): RunListItem => ({
  id,
  workload: "compute",
  status: "done",
  params: { algorithm: "segmented_sieve", n: 1e8, threads: 2 },
  repeats: 1,
  warmup: 0,
  ghost_run_id: null,
  name: null,
  share_url: `/runs/${id}`,
  created_at: created,
  started_at: created,
  finished_at: new Date(Date.parse(created) + 1500).toISOString(),
  lanes: [
    { lane_id: "l0", agent_id: "a-desk", agent_name: "desk", backend: "compute", model: null, status: "done" },
    { lane_id: "l1", agent_id: "a-laptop", agent_name: "laptop", backend: "compute", model: null, status: "done" },
  ],
});

function mountRuns(path: string, routes: Record<string, FakeRoute> = {}) {
  const fake = createFakeFetch({
    ...routes,
    "GET /api/runs": () => {
      const last = fake.requests.at(-1)?.path ?? "";
      return last.includes("cursor=c1")
        ? jsonResponse(200, { runs: [item("old-run", "2026-01-01T00:00:00.000Z")], next_cursor: null })
        : jsonResponse(200, { runs: [item("new-run", "2026-01-02T00:00:00.000Z")], next_cursor: "c1" });
    },
  });
  vi.stubGlobal("fetch", fake.fetchFn);
  return { ...mountRoutes(path, { "/runs": RunsPage }), fake };
}

const rows = (host: HTMLElement) => [...host.querySelectorAll('[data-testid="run-row"]')];

describe("RunsPage", () => {
  it("lists runs with machines, parameters, duration and export links, and pages back with the cursor", async () => {
    const { host, fake } = mountRuns("/runs");
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    expect(document.title).toBe("Runs · bench-race");
    const first = rows(host)[0];
    expect(first?.querySelector("a")?.getAttribute("href")).toBe("/runs/new-run");
    expect(first?.textContent).toContain("desk, laptop");
    expect(first?.textContent).toContain("segmented_sieve · n = 100,000,000 · 2 threads");
    expect(first?.textContent).toContain("1.50 s");
    const exports = [...(first?.querySelectorAll("a[download]") ?? [])].map((a) => a.getAttribute("href"));
    expect(exports).toEqual([
      "/api/runs/new-run/export.csv",
      "/api/runs/new-run/export.json",
      "/api/runs/new-run/events",
    ]);
    expect(first?.querySelector('a[href="/api/runs/new-run/events"]')?.textContent).toBe("events (NDJSON)");

    host.querySelector<HTMLButtonElement>('[data-testid="older-button"]')?.click();
    await vi.waitFor(() => expect(rows(host)).toHaveLength(2));
    expect(fake.requests.at(-1)?.path).toBe("/api/runs?limit=25&cursor=c1");
    expect(host.querySelector('[data-testid="older-button"]')).toBeNull();
  });

  it("filters by the workload in the address", async () => {
    const { host, fake } = mountRuns("/runs?workload=compute");
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    expect(fake.requests.find((r) => r.path.startsWith("/api/runs"))?.path).toBe("/api/runs?workload=compute&limit=25");
    expect(host.querySelector("select")?.value).toBe("compute");
  });

  it("passes every filter in the address to the API and shows it in the controls", async () => {
    const { host, fake } = mountRuns("/runs?workload=llm&status=failed&agent=gpu-box&model=llama3%3A8b&status=bogus");
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    expect(fake.requests.filter((r) => r.path.startsWith("/api/runs")).map((r) => r.path)).toEqual([
      "/api/runs?workload=llm&status=failed&agent=gpu-box&model=llama3%3A8b&limit=25",
    ]);
    const control = (name: string) => host.querySelector<HTMLInputElement>(`[name="${name}"]`)?.value;
    expect([control("workload"), control("status"), control("agent"), control("model")]).toEqual([
      "llm",
      "failed",
      "gpu-box",
      "llama3:8b",
    ]);
  });

  it("keeps a machine typed into the filter in the address and asks the API again", async () => {
    const { host, fake, history } = mountRuns("/runs?workload=llm");
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    const machine = host.querySelector<HTMLInputElement>('[name="agent"]');
    if (!machine) throw new Error("no machine filter");
    machine.value = " gpu-box ";
    machine.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(fake.requests.at(-1)?.path).toBe("/api/runs?workload=llm&agent=gpu-box&limit=25"));
    expect(history.get()).toBe("/runs?workload=llm&agent=gpu-box");
  });

  it("says what is filtered when nothing matches, and clears the filters on request", async () => {
    const fake = createFakeFetch({
      "GET /api/runs": () =>
        fake.requests.at(-1)?.path.includes("agent=")
          ? jsonResponse(200, { runs: [], next_cursor: null })
          : jsonResponse(200, { runs: [item("new-run", "2026-01-02T00:00:00.000Z")], next_cursor: null }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host, history } = mountRoutes("/runs?workload=llm&agent=gpu-box", { "/runs": RunsPage });
    await vi.waitFor(() =>
      expect(host.querySelector('[data-testid="runs-empty"]')?.textContent).toBe(
        "No llm runs on gpu-box. Clear filters",
      ),
    );
    host.querySelector<HTMLButtonElement>('[data-testid="clear-filters"]')?.click();
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    expect(history.get()).toBe("/runs");
    expect(fake.requests.at(-1)?.path).toBe("/api/runs?limit=25");
  });

  it("says there are no races yet when nothing is filtered", async () => {
    const fake = createFakeFetch({ "GET /api/runs": () => jsonResponse(200, { runs: [], next_cursor: null }) });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/runs", { "/runs": RunsPage });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="runs-empty"]')?.textContent).toBe("No races yet."));
    expect(host.querySelector('[data-testid="clear-filters"]')).toBeNull();
  });

  it("reloads from the newest run when the filter changes", async () => {
    const { host, fake, history } = mountRuns("/runs");
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    const select = host.querySelector("select");
    if (!select) throw new Error("no workload select");
    select.value = "llm";
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(fake.requests.at(-1)?.path).toBe("/api/runs?workload=llm&limit=25"));
    expect(history.get()).toBe("/runs?workload=llm");
  });

  it("lets the operator delete a run after confirming, and keeps it when they decline", async () => {
    const confirm = vi.spyOn(window, "confirm").mockReturnValue(false);
    const { host, fake } = mountRuns("/runs", {
      "DELETE /api/runs/new-run": () => jsonResponse(200, { deleted: "new-run" }),
    });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="delete-run"]')).not.toBeNull());
    host.querySelector<HTMLButtonElement>('[data-testid="delete-run"]')?.click();
    expect(confirm).toHaveBeenCalledWith(
      "Delete the compute race new-run with its results and events? Its share link stops working.",
    );
    expect(fake.requests.some((r) => r.method === "DELETE")).toBe(false);
    expect(rows(host)).toHaveLength(1);

    confirm.mockReturnValue(true);
    host.querySelector<HTMLButtonElement>('[data-testid="delete-run"]')?.click();
    await vi.waitFor(() => expect(rows(host)).toHaveLength(0));
    expect(fake.requests.filter((r) => r.method === "DELETE").map((r) => r.path)).toEqual(["/api/runs/new-run"]);
  });

  it("offers a spectator no Delete", async () => {
    const { host, fake } = mountRuns("/runs", { "GET /api/session": () => jsonResponse(200, { operator: false }) });
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    expect(fake.requests.map((r) => r.path)).toContain("/api/session");
    expect(host.querySelectorAll("th")).toHaveLength(8);
    expect(host.querySelector('[data-testid="delete-run"]')).toBeNull();
  });

  it("offers Compare once two runs are ticked, with their ids in the link", async () => {
    const { host } = mountRuns("/runs");
    await vi.waitFor(() => expect(rows(host)).toHaveLength(1));
    host.querySelector<HTMLButtonElement>('[data-testid="older-button"]')?.click();
    await vi.waitFor(() => expect(rows(host)).toHaveLength(2));
    const picks = [...host.querySelectorAll<HTMLInputElement>('[data-testid="compare-pick"]')];
    picks[0]?.click();
    expect(host.querySelector('[data-testid="compare-link"]')).toBeNull();
    picks[1]?.click();
    expect(host.querySelector('[data-testid="compare-link"]')?.getAttribute("href")).toBe(
      "/compare?ids=new-run,old-run",
    );
  });
});
