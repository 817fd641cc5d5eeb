import { describe, expect, it, vi } from "vitest";
import type { AgentView, ModelPullState } from "../../coordinator/protocol/api.ts";
import type { LabSettings } from "../../coordinator/protocol/lab-settings.ts";
import { SettingsPage } from "../../web/src/pages/settings-page.tsx";
import { createFakeFetch, type FakeRoute, jsonResponse } from "./fake-fetch.ts";
import { mountRoutes } from "./mount.tsx";

const machine = (id: string, models: string[], reachable = true): AgentView => ({
  id,
  name: id,
  status: "online",
  version: "0.1.0",
  last_seen_at: "2026-01-02T00:00:00.000Z",
  revoked_at: null,
  hardware: {
    cpu_model: "cpu",
    cpu_cores: 8,
    cpu_physical_cores: 8,
    memory_bytes: 1,
    os: "linux",
    arch: "x64",
    gpus: [],
  },
  backends: {
    ollama: {
      reachable,
      version: "0.9.0",
      models: models.map((name) => ({ name, size_bytes: 1, digest: "sha256:1" })),
    },
  },
});

const settingsRoute =
  (settings: LabSettings): FakeRoute =>
  () =>
    jsonResponse(200, { settings });

const sha = "ab".repeat(32);

const comfyMachine = (id: string, checkpoints: string[]): AgentView => ({
  ...machine(id, []),
  backends: {
    comfyui: {
      reachable: true,
      version: "0.3.40",
      models: checkpoints.map((name) => ({ name, size_bytes: 1, digest: null })),
    },
  },
});

const field = <T extends HTMLElement>(host: HTMLElement, selector: string): T => {
  const element = host.querySelector<T>(selector);
  if (!element) throw new Error(`no ${selector}`);
  return element;
};

const type = (element: HTMLInputElement | HTMLTextAreaElement, value: string) => {
  element.value = value;
  element.dispatchEvent(new Event("input", { bubbles: true }));
};

describe("SettingsPage", () => {
  it("shows which machines lack a policy model and pulls the missing ones with their progress", async () => {
    let pulls: ModelPullState[] = [];
    const fake = createFakeFetch({
      "GET /api/settings": settingsRoute({ models: ["llama3.2"], repeats: 1, warmup: 0 }),
      "GET /api/checkpoints": () => jsonResponse(200, { checkpoints: [] }),
      "GET /api/agents": () =>
        jsonResponse(200, {
          agents: [machine("desk", ["llama3.2:latest"]), machine("rack", []), machine("old", [], false)],
        }),
      "POST /api/agents/pull": () => {
        pulls = [
          {
            agent_id: "rack",
            model: "llama3.2",
            status: "pulling 1a2b",
            completed_bytes: 42,
            total_bytes: 100,
            done: false,
            error: null,
          },
        ];
        return jsonResponse(202, { reached: ["rack"], missing: [] });
      },
      "GET /api/agents/pulls": () => jsonResponse(200, { pulls }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    await vi.waitFor(() => expect(host.querySelectorAll('[data-testid="policy-cell"]')).toHaveLength(3));
    const coverage = () =>
      [...host.querySelectorAll<HTMLElement>('[data-testid="policy-cell"]')].map((cell) => cell.textContent);
    expect(coverage()).toEqual(["✓ present", "missing", "no Ollama"]);
    await vi.waitFor(() => expect(host.querySelector('[data-testid="pull-missing"]')).not.toBeNull());
    host.querySelector<HTMLButtonElement>('[data-testid="pull-missing"]')?.click();
    await vi.waitFor(() => expect(fake.requests.some((r) => r.method === "POST")).toBe(true));
    expect(fake.requests.find((r) => r.method === "POST")?.body).toEqual({ agents: ["rack"], model: "llama3.2" });
    await vi.waitFor(() => expect(coverage()[1]).toBe("pulling 1a2b · 42%"), { timeout: 3000 });
  });

  it("saves a policy model and a default on the coordinator", async () => {
    let stored: LabSettings = { models: [], repeats: 1, warmup: 0 };
    const fake = createFakeFetch({
      "GET /api/settings": () => jsonResponse(200, { settings: stored }),
      "PUT /api/settings": () => jsonResponse(200, { settings: stored }),
      "GET /api/checkpoints": () => jsonResponse(200, { checkpoints: [] }),
      "GET /api/agents": () => jsonResponse(200, { agents: [] }),
    });
    vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === "PUT" && String(input) === "/api/settings") stored = JSON.parse(String(init.body));
      return fake.fetchFn(input, init);
    });
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    await vi.waitFor(() => expect(field<HTMLInputElement>(host, 'input[name="default-repeats"]').disabled).toBe(false));
    type(field(host, 'input[name="policy-model"]'), "qwen2.5:0.5b");
    field<HTMLButtonElement>(host, '[data-testid="add-policy-model"]').click();
    await vi.waitFor(() => expect(stored.models).toEqual(["qwen2.5:0.5b"]));
    const repeats = field<HTMLInputElement>(host, 'input[name="default-repeats"]');
    repeats.value = "250";
    repeats.dispatchEvent(new Event("change", { bubbles: true }));
    await vi.waitFor(() => expect(stored).toEqual({ models: ["qwen2.5:0.5b"], repeats: 100, warmup: 0 }));
    expect(host.querySelector('[data-testid="policy-row"]')?.getAttribute("data-model")).toBe("qwen2.5:0.5b");
  });

  it("shows a spectator the settings without the controls or the checkpoint catalog", async () => {
    vi.stubGlobal(
      "fetch",
      createFakeFetch({
        "GET /api/session": () => jsonResponse(200, { operator: false }),
        "GET /api/settings": settingsRoute({ models: ["llama3.2"], repeats: 3, warmup: 1 }),
        "GET /api/agents": () => jsonResponse(200, { agents: [] }),
      }).fetchFn,
    );
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    await vi.waitFor(() => expect(field<HTMLInputElement>(host, 'input[name="default-repeats"]').value).toBe("3"));
    expect(field<HTMLInputElement>(host, 'input[name="default-warmup"]').disabled).toBe(true);
    expect(host.querySelector('input[name="policy-model"]')).toBeNull();
    expect(host.querySelector('[data-testid="checkpoint-catalog"]')).toBeNull();
    expect(host.querySelector('[data-testid="policy-row"]')?.getAttribute("data-model")).toBe("llama3.2");
  });

  it("refuses a model name with a space, in the schema's words", async () => {
    const fake = createFakeFetch({
      "GET /api/agents": () => jsonResponse(200, { agents: [] }),
      "GET /api/checkpoints": () => jsonResponse(200, { checkpoints: [] }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    await vi.waitFor(() => expect(host.querySelector('input[name="policy-model"]')).not.toBeNull());
    type(field(host, 'input[name="policy-model"]'), "llama 3");
    field<HTMLButtonElement>(host, '[data-testid="add-policy-model"]').click();
    await vi.waitFor(() => expect(host.querySelector('[role="alert"]')?.textContent).toContain("no spaces"));
    expect(fake.requests.some((r) => r.method === "PUT")).toBe(false);
  });
});

describe("CheckpointCatalog on the Settings page", () => {
  it("marks a bad line beside the list before sending, then shows the API's own refusal there", async () => {
    const fake = createFakeFetch({
      "GET /api/agents": () => jsonResponse(200, { agents: [] }),
      "GET /api/checkpoints": () => jsonResponse(200, { checkpoints: [] }),
      "PUT /api/checkpoints": () =>
        jsonResponse(400, {
          error: { code: "bad_request", message: "list: line 1: 10.0.0.5 is a loopback or private address" },
        }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    await vi.waitFor(() => expect(host.querySelector('[data-testid="checkpoint-catalog"]')).not.toBeNull());
    const list = field<HTMLTextAreaElement>(host, 'textarea[name="list"]');
    type(list, "SD | https://example.org/sd.safetensors | sha256:123");
    field<HTMLButtonElement>(host, '[data-testid="save-checkpoints"]').click();
    await vi.waitFor(() =>
      expect(host.querySelector('[data-testid="field-error-list"]')?.textContent).toBe(
        "line 1: the third part must be sha256: followed by 64 hex digits",
      ),
    );
    expect(list.getAttribute("aria-invalid")).toBe("true");
    expect(fake.requests.some((r) => r.method === "PUT")).toBe(false);

    type(list, `SD | https://example.org/sd.safetensors | sha256:${sha}`);
    field<HTMLButtonElement>(host, '[data-testid="save-checkpoints"]').click();
    await vi.waitFor(() =>
      expect(host.querySelector('[data-testid="field-error-list"]')?.textContent).toBe(
        "line 1: 10.0.0.5 is a loopback or private address",
      ),
    );
    expect(fake.requests.find((r) => r.method === "PUT")?.body).toEqual({
      list: `SD | https://example.org/sd.safetensors | sha256:${sha}`,
      allow_private: false,
    });
  });

  it("lists the saved catalog and downloads it onto the ComfyUI machines with live progress", async () => {
    const spec = {
      name: "sd.safetensors",
      label: "SD",
      url: "http://10.0.0.5/sd.safetensors",
      sha256: sha,
      allow_private: true,
    };
    let pulls: ModelPullState[] = [];
    const fake = createFakeFetch({
      "GET /api/agents": () =>
        jsonResponse(200, { agents: [comfyMachine("desk", ["sd.safetensors"]), comfyMachine("rack", [])] }),
      "GET /api/checkpoints": () => jsonResponse(200, { checkpoints: [spec] }),
      "POST /api/checkpoints/sync": () => {
        pulls = [
          {
            agent_id: "rack",
            model: "sd.safetensors",
            status: "downloading",
            completed_bytes: 3,
            total_bytes: 4,
            done: false,
            error: null,
          },
        ];
        return jsonResponse(202, { checkpoints: ["sd.safetensors"], reached: ["desk", "rack"], missing: [] });
      },
      "GET /api/agents/pulls": () => jsonResponse(200, { pulls }),
    });
    vi.stubGlobal("fetch", fake.fetchFn);
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    const cells = () =>
      [...host.querySelectorAll<HTMLElement>('[data-testid="checkpoint-cell"]')].map((cell) => cell.textContent);
    await vi.waitFor(() => expect(cells()).toEqual(["✓ present", "missing"]));
    expect(field<HTMLTextAreaElement>(host, 'textarea[name="list"]').value).toBe(
      `SD | http://10.0.0.5/sd.safetensors | sha256:${sha}`,
    );
    expect(field<HTMLInputElement>(host, 'input[name="allow_private"]').checked).toBe(true);
    field<HTMLButtonElement>(host, '[data-testid="sync-checkpoints"]').click();
    await vi.waitFor(() => expect(fake.requests.some((r) => r.path === "/api/checkpoints/sync")).toBe(true));
    expect(fake.requests.find((r) => r.path === "/api/checkpoints/sync")?.body).toEqual({ agents: ["desk", "rack"] });
    await vi.waitFor(() => expect(cells()).toEqual(["✓ present", "downloading · 75%"]), { timeout: 3000 });
  });
});
