import { describe, expect, it, vi } from "vitest";
import type { AgentView, RunView } from "../../coordinator/protocol/api.ts";
import { llmPromptPresets } from "../../coordinator/protocol/llm.ts";
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
  revoked_at: null,
});

const pendingRun = (id: string): RunView => ({
  id,
  workload: "compute",
  status: "pending",
  params: {},
  repeats: 1,
  warmup: 0,
  ghost_run_id: null,
  name: null,
  share_url: `/runs/${id}`,
  created_at: "2026-01-01T00:00:00.000Z",
  started_at: null,
  finished_at: null,
  lanes: [],
});

/** desk runs Ollama with two models; rack's Ollama is down; laptop is offline. */
const llmAgents = (): AgentView[] => [
  {
    ...agent("a1", "desk", "online"),
    backends: {
      ollama: {
        reachable: true,
        version: "0.9.0",
        models: [
          {
            name: "llama3.2:3b",
            size_bytes: 2 * 1024 ** 3,
            digest: "sha256:a80c4f17acd55265feec403c7aef86be0c25983ab279d83f3bcd3abbcb5b8b72",
          },
          {
            name: "qwen2.5:7b",
            size_bytes: Math.round(4.7 * 1024 ** 3),
            digest: "sha256:845dbda0ea48ed749caafd9e6037047aa19acfcfd82e704d7ca97d631a0b697e",
          },
        ],
      },
    },
  },
  {
    ...agent("a3", "rack", "online"),
    backends: {
      ollama: {
        reachable: false,
        version: null,
        models: [],
        error: "Ollama at http://127.0.0.1:11434 is not reachable",
      },
    },
  },
  agent("a2", "laptop", "offline"),
];

function mountPage(
  createRun: FakeRoute,
  agents: AgentView[] = [agent("a1", "desk", "online"), agent("a2", "laptop", "offline")],
  routes: Record<string, FakeRoute> = {},
) {
  const fake = createFakeFetch({
    "GET /api/agents": () => jsonResponse(200, { agents }),
    "POST /api/runs": createRun,
    ...routes,
  });
  vi.stubGlobal("fetch", fake.fetchFn);
  const raceRoute = () => <p data-testid="race-route">race</p>;
  return { ...mountRoutes("/", { "/": NewRacePage, "/runs/:id": raceRoute }), fake };
}

/** The form appears once the API has said this browser is the operator. */
const formReady = (host: HTMLElement) =>
  vi.waitFor(() => expect(host.querySelector('[data-testid="race-button"]')).not.toBeNull());

const input = (host: HTMLElement, name: string) => {
  const element = host.querySelector<HTMLInputElement>(`input[name="${name}"]`);
  if (!element) throw new Error(`no input ${name}`);
  return element;
};
const type = (element: HTMLInputElement | HTMLTextAreaElement, value: string) => {
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
      force: false,
      deadline_s: 14_400,
    });
    await vi.waitFor(() => expect(history.get()).toBe("/runs/r-9"));
    expect(host.querySelector('[data-testid="race-route"]')).not.toBeNull();
  });

  it("starts repeats and warm-ups from the lab's settings", async () => {
    const { host, fake } = mountPage(() => jsonResponse(201, { run: pendingRun("r-12") }), undefined, {
      "GET /api/settings": () => jsonResponse(200, { settings: { models: [], repeats: 5, warmup: 2 } }),
    });
    await pickDesk(host);
    expect(input(host, "repeats").value).toBe("5");
    expect(input(host, "warmup").value).toBe("2");
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    expect(fake.requests.find((r) => r.method === "POST")?.body).toMatchObject({ repeats: 5, warmup: 2 });
  });

  it("says so and starts from the built-in defaults when the settings cannot be loaded", async () => {
    const { host } = mountPage(() => jsonResponse(201, { run: pendingRun("r-13") }), undefined, {
      "GET /api/settings": () => jsonResponse(500, { error: { code: "internal", message: "disk full" } }),
    });
    await pickDesk(host);
    expect(input(host, "repeats").value).toBe("1");
    expect(host.querySelector('[data-testid="defaults-note"]')?.textContent).toContain("disk full");
  });

  it("starts a drag race with the classic n and the chosen duration", async () => {
    const { host, fake } = mountPage(() => jsonResponse(201, { run: pendingRun("r-10") }));
    await pickDesk(host);
    const preset = host.querySelector<HTMLSelectElement>('select[name="race"]');
    if (!preset) throw new Error("no race kind select");
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

  it("fills algorithm and n from a preset, and sends the race name", async () => {
    const { host, fake } = mountPage(() => jsonResponse(201, { run: pendingRun("r-11") }));
    await pickDesk(host);
    const preset = host.querySelector<HTMLSelectElement>('[data-testid="compute-preset"]');
    if (!preset) throw new Error("no preset select");
    preset.value = "trial";
    preset.dispatchEvent(new Event("change", { bubbles: true }));
    expect(input(host, "n").value).toBe("2,000,000");
    type(input(host, "name"), "  Desk vs laptop  ");
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    expect(fake.requests.find((r) => r.method === "POST")?.body).toMatchObject({
      name: "Desk vs laptop",
      params: { algorithm: "trial_division", n: 2_000_000 },
    });
  });

  it("says before racing that a busy machine will wait and that revoked machines cannot be picked", async () => {
    const revoked = { ...agent("a4", "old-box", "online"), revoked_at: "2026-01-01T00:00:00.000Z" };
    const { host } = mountPage(
      () => jsonResponse(500, {}),
      [agent("a1", "desk", "busy"), agent("a2", "laptop", "offline"), revoked],
    );
    await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="agent-option"]')).toHaveLength(3));
    const boxes = [...host.querySelectorAll<HTMLInputElement>('[data-testid="agent-option"] input')];
    expect(boxes.map((box) => box.disabled)).toEqual([false, true, true]);
    expect(host.querySelector('[data-testid="preflight-banner"]')).toBeNull();
    boxes[0]?.click();
    await vi.waitFor(() =>
      expect(host.querySelector('[data-testid="preflight-item"]')?.textContent).toBe(
        "desk will wait: it is running another race; its lane starts when that ends.",
      ),
    );
  });

  it("races against the ghost named in the address", async () => {
    const fake = createFakeFetch({
      "GET /api/agents": () =>
        jsonResponse(200, { agents: [agent("a1", "desk", "online"), agent("a2", "laptop", "offline")] }),
      "GET /api/runs/g1": () => jsonResponse(200, { run: { ...pendingRun("g1"), status: "done", name: "Last week" } }),
      "POST /api/runs": () => jsonResponse(201, { run: pendingRun("r-12") }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/?ghost=g1", { "/": NewRacePage, "/runs/:id": () => <p>race</p> });
    await vi.waitFor(() =>
      expect(host.querySelector('[data-testid="ghost-choice"]')?.textContent).toContain("Last week"),
    );
    await pickDesk(host);
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    expect(fake.requests.find((r) => r.method === "POST")?.body).toMatchObject({ ghost_run_id: "g1", agents: ["a1"] });
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

describe("NewRacePage for a spectator", () => {
  it("shows no form, no Race button and no machines, only why", async () => {
    const fake = createFakeFetch({ "GET /api/session": () => jsonResponse(200, { operator: false }) });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/", { "/": NewRacePage });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="spectator-notice"]')).not.toBeNull());
    expect(host.querySelector('[data-testid="spectator-notice"] p')?.textContent).toContain(
      "Only the operator can start races.",
    );
    expect(host.querySelector("form")).toBeNull();
    expect(document.title).toBe("New race · bench-race");
    expect(host.querySelector('[data-testid="race-button"]')).toBeNull();
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/session"]);
  });
});

describe("NewRacePage for an llm race", () => {
  async function chooseLlm(host: HTMLElement) {
    await formReady(host);
    host.querySelector<HTMLInputElement>('input[name="workload"][value="llm"]')?.click();
    await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="model-option"]')).toHaveLength(2));
  }
  const addLane = (host: HTMLElement, agentName: string, model: string) =>
    host
      .querySelector<HTMLButtonElement>(
        `[data-agent-name="${agentName}"] [data-model="${model}"] [data-testid="add-lane"]`,
      )
      ?.click();

  it("offers Image, and lists each online machine's engines and models with size, digest and fit", async () => {
    const { host } = mountPage(() => jsonResponse(500, {}), llmAgents());
    await formReady(host);
    expect(host.querySelector<HTMLInputElement>('input[name="workload"][value="image"]')?.disabled).toBe(false);
    await chooseLlm(host);
    const machines = [...host.querySelectorAll('[data-testid="llm-agent"]')].map((el) =>
      el.getAttribute("data-agent-name"),
    );
    expect(machines).toEqual(["desk", "rack"]);
    const llama = host.querySelector('[data-model="llama3.2:3b"]');
    expect(llama?.textContent).toContain("2 GiB · a80c4f17acd5");
    expect(llama?.querySelector('[data-testid="fit-badge"]')?.textContent).toBe("fits");
    expect(host.querySelector('[data-agent-name="rack"]')?.textContent).toContain(
      "Ollama at http://127.0.0.1:11434 is not reachable",
    );
  });

  it("sends two lanes on one machine with the typed parameters", async () => {
    const { host, fake, history } = mountPage(() => jsonResponse(201, { run: pendingRun("r-11") }), llmAgents());
    await chooseLlm(host);
    addLane(host, "desk", "llama3.2:3b");
    addLane(host, "desk", "qwen2.5:7b");
    expect([...host.querySelectorAll('[data-testid="lane-choice"]')].map((li) => li.textContent)).toEqual([
      expect.stringContaining("desk · ollama · llama3.2:3b"),
      expect.stringContaining("desk · ollama · qwen2.5:7b"),
    ]);
    type(input(host, "max_tokens"), "200");
    type(input(host, "temperature"), "0");
    type(input(host, "repeats"), "3");
    type(input(host, "warmup"), "1");
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();

    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    expect(fake.requests.find((r) => r.method === "POST")?.body).toEqual({
      workload: "llm",
      lanes: [
        { agent: "a1", backend: "ollama", model: "llama3.2:3b" },
        { agent: "a1", backend: "ollama", model: "qwen2.5:7b" },
      ],
      params: {
        prompt: llmPromptPresets.short.prompt,
        max_tokens: 200,
        num_ctx: 4096,
        temperature: 0,
        seed: 42,
        cache_prompt: false,
        allow_mock_fallback: false,
      },
      repeats: 3,
      warmup: 1,
      force: false,
      deadline_s: 14_400,
    });
    await vi.waitFor(() => expect(history.get()).toBe("/runs/r-11"));
  });

  it("highlights max_tokens when it does not fit below num_ctx, and sends nothing", async () => {
    const { host, fake } = mountPage(() => jsonResponse(500, {}), llmAgents());
    await chooseLlm(host);
    addLane(host, "desk", "llama3.2:3b");
    type(input(host, "max_tokens"), "4096");
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    expect(host.querySelector('[data-testid="field-error-max_tokens"]')?.textContent).toBe(
      "max_tokens (4096) must be below num_ctx (4096); raise num_ctx or ask for fewer tokens",
    );
    expect(input(host, "max_tokens").getAttribute("aria-invalid")).toBe("true");
    expect(input(host, "num_ctx").getAttribute("aria-invalid")).toBe("false");
    expect(host.querySelector('[data-testid="form-error"]')?.textContent).toBe(
      "Some parameters need fixing: see the highlighted fields.",
    );
    expect(fake.requests.every((r) => r.method === "GET")).toBe(true);
  });

  it("fills the prompt and max_tokens from a preset", async () => {
    const { host } = mountPage(() => jsonResponse(500, {}), llmAgents());
    await chooseLlm(host);
    const preset = host.querySelector<HTMLSelectElement>('select[name="preset"]');
    if (!preset) throw new Error("no preset select");
    preset.value = "long_generation";
    preset.dispatchEvent(new Event("change", { bubbles: true }));
    expect(host.querySelector<HTMLTextAreaElement>('textarea[name="prompt"]')?.value).toBe(
      llmPromptPresets.long_generation.prompt,
    );
    expect(input(host, "max_tokens").value).toBe("1024");
  });

  it("asks for a lane before sending", async () => {
    const { host, fake } = mountPage(() => jsonResponse(500, {}), llmAgents());
    await chooseLlm(host);
    host.querySelector<HTMLButtonElement>('[data-testid="race-button"]')?.click();
    expect(host.querySelector('[data-testid="form-error"]')?.textContent).toBe(
      "Add at least one lane: pick a model on one of the machines above.",
    );
    expect(fake.requests.every((r) => r.method === "GET")).toBe(true);
  });
});
