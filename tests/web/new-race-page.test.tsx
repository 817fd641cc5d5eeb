import { describe, expect, it, vi } from "vitest";
import type { AgentView, RunView } from "../../coordinator/protocol/api.ts";
import { NewRacePage } from "../../web/src/pages/new-race-page.tsx";
import { createFakeFetch, type FakeRoute, jsonResponse } from "./fake-fetch.ts";
import { mountRoutes } from "./mount.tsx";

const agent = (id: string, name: string, status: AgentView["status"]): AgentView => ({
  id,
  name,
  status,
  version: "0.1.0",
  hardware: {
    cpu_model: "Ryzen 9 7950X",
    cpu_cores: 32,
    cpu_physical_cores: 16,
    memory_bytes: 64 * 1024 ** 3,
    os: "linux",
    arch: "x64",
    gpus: [],
  },
  backends: {},
  last_seen_at: "2026-01-01T00:00:00.000Z",
});

const pendingRun = (id: string): RunView => ({
  id,
  workload: "compute",
  status: "pending",
  params: {},
  repeats: 1,
  warmup: 0,
  share_url: `/runs/${id}`,
  created_at: "2026-01-01T00:00:00.000Z",
  started_at: null,
  finished_at: null,
  lanes: [],
});

function mountPage(createRun: FakeRoute) {
  const fake = createFakeFetch({
    "GET /api/agents": () =>
      jsonResponse(200, { agents: [agent("a1", "desk", "online"), agent("a2", "laptop", "offline")] }),
    "POST /api/runs": createRun,
  });
  vi.stubGlobal("fetch", fake.fetchFn);
  const raceRoute = () => <p data-testid="race-route">race</p>;
  return { ...mountRoutes("/", { "/": NewRacePage, "/runs/:id": raceRoute }), fake };
}

const input = (host: HTMLElement, name: string) => {
  const element = host.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  if (!element) throw new Error(`no input ${name}`);
  return element;
};
const type = (element: HTMLInputElement, value: string) => {
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
};

async function pickDesk(host: HTMLElement) {
  await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="agent-option"]')).toHaveLength(2));
  const [desk, laptop] = [...host.querySelectorAll<HTMLInputElement>('[data-testid="agent-option"] input')];
  expect(laptop?.disabled).toBe(true);
  desk?.click();
}

describe("NewRacePage", () => {
  it("lists the machines with their hardware and starts a race with the typed parameters", async () => {
    const { host, fake, history } = mountPage(() => jsonResponse(201, { run: pendingRun("r-9") }));
    await pickDesk(host);
    expect(host.textContent).toContain("Ryzen 9 7950X · 32 cores · 64 GiB memory");
    expect(input(host, "n").value).toBe("100,000,000");
    type(input(host, "n"), "1e7");
    type(input(host, "threads"), "4");
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();

    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    const post = fake.requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({
      workload: "compute",
      agents: ["a1"],
      params: { algorithm: "segmented_sieve", n: 10_000_000, threads: 4, progress_interval_s: 1 },
      repeats: 1,
      warmup: 0,
    });
    await vi.waitFor(() => expect(history.get()).toBe("/runs/r-9"));
    expect(host.querySelector('[data-testid="race-route"]')).not.toBeNull();
  });

  it("starts a drag race with the classic n and the chosen duration", async () => {
    const { host, fake } = mountPage(() => jsonResponse(201, { run: pendingRun("r-10") }));
    await pickDesk(host);
    const preset = host.querySelector<HTMLSelectElement>("select");
    if (!preset) throw new Error("no preset select");
    preset.value = "drag_race";
    preset.dispatchEvent(new Event("change", { bubbles: true }));
    expect(input(host, "n").value).toBe("1,000,000");
    type(input(host, "duration_s"), "2");
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    expect(fake.requests.find((r) => r.method === "POST")?.body).toMatchObject({
      params: { algorithm: "segmented_sieve", n: 1_000_000, preset: "drag_race", duration_s: 2 },
    });
  });

  it("shows the API's error message, such as the operator-key hint on 401", async () => {
    const message = "This needs the operator key: open the /login?key=... link printed by `npm start`.";
    const { host } = mountPage(() => jsonResponse(401, { error: { code: "unauthorized", message } }));
    await pickDesk(host);
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    await vi.waitFor(() => expect(host.querySelector('[data-testid="form-error"]')?.textContent).toBe(message));
  });

  it("refuses a race with no machine picked before calling the API", async () => {
    const { host, fake } = mountPage(() => jsonResponse(500, {}));
    await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="agent-option"]')).toHaveLength(2));
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    expect(host.querySelector('[data-testid="form-error"]')?.textContent).toBe("Pick at least one machine to race.");
    expect(fake.requests.every((r) => r.method === "GET")).toBe(true);
  });
});
