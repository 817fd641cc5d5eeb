import { describe, expect, it, vi } from "vitest";
import type { AgentView } from "../../coordinator/protocol/api.ts";
import { FleetPage } from "../../web/src/pages/fleet-page.tsx";
import { createFakeFetch, type FakeRoute, jsonResponse } from "./fake-fetch.ts";
import { mountRoutes } from "./mount.tsx";

const gpuBox: AgentView = {
  id: "a-gpu",
  name: "gpu-box",
  status: "busy",
  version: "0.1.0",
  last_seen_at: "2026-01-02T03:04:05.000Z",
  revoked_at: null,
  hardware: {
    cpu_model: "Ryzen 9 7950X",
    cpu_cores: 32,
    cpu_physical_cores: 16,
    memory_bytes: 64 * 1024 ** 3,
    os: "linux",
    arch: "x64",
    gpus: [{ name: "RTX 4090", vendor: "nvidia", vram_bytes: 24 * 1024 ** 3, unified_memory: false, driver: "550" }],
  },
  backends: {
    ollama: {
      reachable: true,
      version: "0.5.7",
      models: [
        {
          name: "llama3:8b",
          size_bytes: 4.5 * 1024 ** 3,
          digest: "sha256:365c0bd3c000a25d28ddbf732fe1c6add414de7275464c4e4d1c3b5fcb5d8ad1",
        },
      ],
    },
    comfyui: { reachable: false, version: null, models: [], error: "ComfyUI at http://10.0.0.5:8188 is not reachable" },
  },
};

const laptop: AgentView = {
  ...gpuBox,
  id: "a-laptop",
  name: "laptop",
  status: "offline",
  hardware: { ...gpuBox.hardware, cpu_model: "Apple M3", gpus: [] },
  backends: {},
};

/** A stand-in for the browser's WebSocket: records the sockets the page opens and lets a test answer. */
class FakeWebSocket {
  static opened: FakeWebSocket[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeWebSocket.opened.push(this);
  }
  send() {}
  close() {
    this.closed = true;
  }
  receive(message: unknown) {
    this.onmessage?.({ data: JSON.stringify(message) });
  }
}

function mountFleet(routes: Record<string, FakeRoute> = {}) {
  FakeWebSocket.opened = [];
  vi.stubGlobal("WebSocket", FakeWebSocket);
  const fake = createFakeFetch({
    "GET /api/agents": () => jsonResponse(200, { agents: [gpuBox, laptop] }),
    "GET /api/fleet/enrollment": () =>
      jsonResponse(200, {
        token: "tok_1",
        command: 'npm run agent -- --coordinator http://h:8080 --token tok_1 --name "$(hostname)"',
      }),
    ...routes,
  });
  vi.stubGlobal("fetch", fake.fetchFn);
  return { ...mountRoutes("/fleet", { "/fleet": FleetPage }), fake };
}

const machines = (host: HTMLElement) => [...host.querySelectorAll<HTMLElement>('[data-testid="machine"]')];

describe("FleetPage", () => {
  it("shows every machine with its status, hardware and, for the operator, its engines and models", async () => {
    const { host } = mountFleet();
    await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="engine"]')).toHaveLength(2));
    expect(document.title).toBe("Fleet · bench-race");
    const [box, lap] = machines(host);
    expect(machines(host).map((m) => m.dataset.agentName)).toEqual(["gpu-box", "laptop"]);
    expect(box?.querySelector(".badge")?.textContent).toBe("busy");
    expect(lap?.querySelector(".badge")?.textContent).toBe("offline");
    expect(box?.querySelector('[data-testid="hardware"]')?.textContent).toBe(
      "CPURyzen 9 7950XCores32 logical, 16 physicalMemory64 GiBGPUsRTX 4090 (24 GiB)Systemlinux x64",
    );
    expect(lap?.querySelector('[data-testid="hardware"]')?.textContent).toContain("GPUsnone");
    expect(box?.querySelector('[data-testid="last-seen"]')?.textContent).toMatch(/^last seen .*2026/);
    const ollama = box?.querySelector('[data-engine="ollama"]');
    expect(ollama?.textContent).toContain("reachable · version 0.5.7");
    expect(ollama?.querySelector('[data-testid="engine-model"]')?.textContent).toBe(
      "llama3:8b · 4.5 GiB · 365c0bd3c000",
    );
    expect(box?.querySelector('[data-engine="comfyui"] [data-testid="engine-error"]')?.textContent).toBe(
      "ComfyUI at http://10.0.0.5:8188 is not reachable",
    );
    expect(lap?.textContent).toContain("No engines reported.");
  });

  it("gives the operator the enrollment command with a Copy button that says Copied", async () => {
    const writeText = vi.fn(async (_text: string) => undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    const { host } = mountFleet();
    await vi.waitFor(() => expect(host.querySelector('[data-testid="enroll-command"]')).not.toBeNull());
    const command = 'npm run agent -- --coordinator http://h:8080 --token tok_1 --name "$(hostname)"';
    expect(host.querySelector<HTMLInputElement>('[data-testid="enroll-command"]')?.value).toBe(command);
    host.querySelector<HTMLButtonElement>('[data-testid="copy-enroll"]')?.click();
    await vi.waitFor(() => expect(host.querySelector('[data-testid="copy-feedback"]')?.textContent).toBe("Copied"));
    expect(writeText).toHaveBeenCalledWith(command);
  });

  it("shows a spectator names, status and hardware only, and never asks for the token", async () => {
    const { host, fake } = mountFleet({ "GET /api/session": () => jsonResponse(200, { operator: false }) });
    await vi.waitFor(() => expect(machines(host)).toHaveLength(2));
    await vi.waitFor(() => expect(fake.requests.map((r) => r.path)).toContain("/api/session"));
    expect(machines(host)[0]?.querySelector('[data-testid="hardware"]')?.textContent).toContain("Ryzen 9 7950X");
    expect(host.querySelector('[data-testid="engine"]')).toBeNull();
    expect(host.textContent).not.toContain("10.0.0.5");
    expect(host.querySelector('[data-testid="enrollment"]')).toBeNull();
    expect(fake.requests.map((r) => r.path)).not.toContain("/api/fleet/enrollment");
    expect(FakeWebSocket.opened).toEqual([]);
  });

  it("lets the operator override memory and shows the override, and names unknown figures", async () => {
    const unknownCores: AgentView = {
      ...laptop,
      hardware: { ...laptop.hardware, cpu_physical_cores: null, unknown: { cpu_physical_cores: "probe timed out" } },
    };
    const saved = {
      label: "rack 2",
      notes: null,
      memory_bytes: 128 * 1024 ** 3,
      cpu_physical_cores: null,
      gpu_vram_bytes: null,
      gpu_unified_memory: null,
    };
    const { host, fake } = mountFleet({
      "GET /api/agents": () => jsonResponse(200, { agents: [gpuBox, unknownCores] }),
      "PUT /api/agents/a-gpu/overrides": () => jsonResponse(200, { overrides: saved }),
    });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="edit-overrides"]')).not.toBeNull());
    const [box, lap] = machines(host);
    expect(lap?.querySelector('[data-testid="hardware"]')?.textContent).toContain("32 logical, unknown physical");
    expect(lap?.querySelector('[title="probe timed out"]')?.textContent).toBe("unknown");
    box?.querySelector<HTMLButtonElement>('[data-testid="edit-overrides"]')?.click();
    const form = box?.querySelector<HTMLFormElement>('[data-testid="overrides-form"]');
    const input = (name: string) => form?.querySelector<HTMLInputElement>(`[name="${name}"]`);
    for (const [name, value] of [
      ["label", "rack 2"],
      ["memory_gib", "128"],
    ] as const) {
      const field = input(name);
      if (field) field.value = value;
      field?.dispatchEvent(new Event("input", { bubbles: true }));
    }
    form?.requestSubmit();
    await vi.waitFor(() => expect(box?.querySelector(".agent-name")?.textContent).toBe("rack 2"));
    expect(fake.requests.find((r) => r.method === "PUT")?.body).toEqual({ overrides: saved });
    expect(box?.querySelector('[data-testid="hardware"]')?.textContent).toContain("Memory128 GiB(override)");
  });

  it("shows the operator each machine's live figures from the lab room", async () => {
    const { host, fake } = mountFleet();
    await vi.waitFor(() => expect(FakeWebSocket.opened).toHaveLength(1));
    expect(FakeWebSocket.opened[0]?.url).toBe(`ws://${window.location.host}/parties/lab/main?role=operator`);
    const sample = {
      agent_id: "a-gpu",
      at: 1,
      cpu_percent: 12.4,
      memory_used_bytes: 3 * 1024 ** 3,
      gpus: [{ index: 0, util_percent: 97, vram_used_bytes: 1, power_w: 420.2, temp_c: 60 }],
    };
    FakeWebSocket.opened[0]?.receive({
      type: "lab-fleet",
      agents: [{ agent_id: "a-gpu", name: "gpu-box", status: "busy" }],
      samples: [sample],
    });
    const [box, lap] = machines(host);
    await vi.waitFor(() =>
      expect(box?.querySelector('[data-testid="live-figures"]')?.textContent).toBe(
        "now: CPU 12 % · memory 3 GiB · GPU 0: 97 %, 420 W, 60 °C",
      ),
    );
    expect(lap?.querySelector('[data-testid="live-figures"]')).toBeNull();
    FakeWebSocket.opened[0]?.receive({ type: "fleet-sample", sample: { ...sample, cpu_percent: 80 } });
    await vi.waitFor(() =>
      expect(box?.querySelector('[data-testid="live-figures"]')?.textContent).toContain("CPU 80 %"),
    );
    const listings = () => fake.requests.filter((r) => r.path === "/api/agents").length;
    expect(listings()).toBe(1);
    FakeWebSocket.opened[0]?.receive({ type: "lab-fleet", agents: [], samples: [] });
    await vi.waitFor(() => expect(listings()).toBe(2));
  });

  it("asks a machine to probe its hardware again", async () => {
    const { host, fake } = mountFleet({
      "POST /api/agents/a-gpu/probe": () => jsonResponse(202, { reached: ["a-gpu"], missing: [] }),
    });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="probe-again"]')).not.toBeNull());
    machines(host)[0]?.querySelector<HTMLButtonElement>('[data-testid="probe-again"]')?.click();
    await vi.waitFor(() =>
      expect(machines(host)[0]?.querySelector('[role="status"]')?.textContent).toBe(
        "Asked the machine to probe again; its new hardware shows here once it reports.",
      ),
    );
    expect(fake.requests.filter((r) => r.method === "POST").map((r) => r.path)).toEqual(["/api/agents/a-gpu/probe"]);
  });

  it("says so when no machine has connected", async () => {
    const { host } = mountFleet({ "GET /api/agents": () => jsonResponse(200, { agents: [] }) });
    await vi.waitFor(() => expect(host.textContent).toContain("No machines have connected yet."));
    expect(machines(host)).toHaveLength(0);
  });
});
