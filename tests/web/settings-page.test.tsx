import { afterEach, describe, expect, it, vi } from "vitest";
import type { AgentView, ModelPullState } from "../../coordinator/protocol/api.ts";
import { SettingsPage } from "../../web/src/pages/settings-page.tsx";
import { readLabSettings, writeLabSettings } from "../../web/src/stores/lab-settings.ts";
import { createFakeFetch, jsonResponse } from "./fake-fetch.ts";
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

afterEach(() => localStorage.clear());

describe("lab settings", () => {
  it("falls back to the defaults when the stored entry is damaged", () => {
    localStorage.setItem("bench-race.settings", "{not json");
    expect(readLabSettings()).toEqual({ models: [], repeats: 1, warmup: 0 });
    writeLabSettings({ models: ["llama3.2"], repeats: 3, warmup: 1 });
    expect(readLabSettings()).toEqual({ models: ["llama3.2"], repeats: 3, warmup: 1 });
  });
});

describe("SettingsPage", () => {
  it("shows which machines lack a policy model and pulls the missing ones with their progress", async () => {
    writeLabSettings({ models: ["llama3.2"], repeats: 1, warmup: 0 });
    let pulls: ModelPullState[] = [];
    const fake = createFakeFetch({
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
    expect(host.querySelector('[data-testid="checkpoint-catalog"]')).not.toBeNull();
  });

  it("refuses a model name with a space, in the schema's words", async () => {
    vi.stubGlobal("fetch", createFakeFetch({ "GET /api/agents": () => jsonResponse(200, { agents: [] }) }).fetchFn);
    const { host } = mountRoutes("/settings", { "/settings": SettingsPage });
    const input = host.querySelector<HTMLInputElement>('input[name="policy-model"]');
    if (!input) throw new Error("no model input");
    input.value = "llama 3";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    host.querySelector<HTMLButtonElement>('[data-testid="add-policy-model"]')?.click();
    await vi.waitFor(() => expect(host.querySelector('[role="alert"]')?.textContent).toContain("no spaces"));
    expect(readLabSettings().models).toEqual([]);
  });
});
