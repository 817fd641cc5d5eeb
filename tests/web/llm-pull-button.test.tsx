import { afterEach, describe, expect, it, vi } from "vitest";
import type { AgentView, ModelPullState } from "../../coordinator/protocol/api.ts";
import { pullPollMs } from "../../web/src/lib/pull-progress.ts";
import { LlmModelPicker } from "../../web/src/workloads/llm-model-picker.tsx";
import { createFakeFetch, jsonResponse } from "./fake-fetch.ts";
import { mount } from "./mount.tsx";

const hardware = {
  cpu_model: "Test CPU",
  cpu_cores: 8,
  cpu_physical_cores: 4,
  memory_bytes: 64 * 1024 ** 3,
  os: "linux",
  arch: "x64",
  gpus: [],
};
const model = (name: string) => ({ name, size_bytes: 2 * 1024 ** 3, digest: `sha256:${name}` });
const agent = (id: string, name: string, models: string[], reachable = true): AgentView => ({
  id,
  name,
  status: "online",
  version: "0.1.0",
  hardware,
  backends: { ollama: { reachable, version: "0.5.1", models: models.map(model) } },
  last_seen_at: "2026-01-02T03:04:05.000Z",
  revoked_at: null,
});

const pull = (fields: Partial<ModelPullState>): ModelPullState => ({
  agent_id: "a2",
  model: "llama3.2:3b",
  status: "queued",
  completed_bytes: null,
  total_bytes: null,
  done: false,
  error: null,
  ...fields,
});

function mountPicker(agents: AgentView[], pulls: () => ModelPullState[], reached = true) {
  const fake = createFakeFetch({
    "POST /api/agents/pull": () =>
      jsonResponse(202, reached ? { reached: ["a2"], missing: [] } : { reached: [], missing: ["a2"] }),
    "GET /api/agents/pulls": () => jsonResponse(200, { pulls: pulls() }),
  });
  vi.stubGlobal("fetch", fake.fetchFn);
  const onPulled = vi.fn();
  const host = mount(() => (
    <LlmModelPicker
      agents={agents}
      numCtx={4096}
      onAdd={() => undefined}
      wantedOllamaModels={["llama3.2:3b"]}
      onPulled={onPulled}
    />
  ));
  return { host, fake, onPulled };
}

const text = (host: HTMLElement, testId: string) =>
  host.querySelector(`[data-testid="${testId}"]`)?.textContent ?? null;

describe("pulling a lane's model on a machine that lacks it", () => {
  afterEach(() => vi.useRealTimers());

  it("offers the pull only where Ollama is reachable and the model missing", () => {
    const { host } = mountPicker(
      [agent("a1", "desk", ["llama3.2:3b"]), agent("a2", "laptop", []), agent("a3", "nas", [], false)],
      () => [],
    );
    const buttons = [...host.querySelectorAll('[data-testid="pull-model"]')].map((b) => b.textContent);
    expect(buttons).toEqual(["Pull llama3.2:3b on laptop"]);
  });

  it("posts the pull, polls every second showing step and percent, and refreshes the machines when done", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    let pulls = [pull({ status: "pulling dde5aa3fc5ff", completed_bytes: 505_000_000, total_bytes: 2_020_000_000 })];
    const { host, fake, onPulled } = mountPicker(
      [agent("a1", "desk", ["llama3.2:3b"]), agent("a2", "laptop", [])],
      () => pulls,
    );
    host.querySelector<HTMLButtonElement>('[data-testid="pull-model"]')?.click();
    await vi.waitFor(() => expect(text(host, "pull-progress")).toBe("Pulling llama3.2:3b: starting…"));
    expect(fake.requests.filter((r) => r.method === "POST")).toEqual([
      { method: "POST", path: "/api/agents/pull", body: { agents: ["a2"], model: "llama3.2:3b" } },
    ]);
    expect(host.querySelector('[data-testid="pull-model"]')).toBeNull();

    await vi.advanceTimersByTimeAsync(pullPollMs);
    await vi.waitFor(() => expect(text(host, "pull-progress")).toBe("Pulling llama3.2:3b: pulling dde5aa3fc5ff · 25%"));

    pulls = [pull({ status: "success", done: true })];
    await vi.advanceTimersByTimeAsync(pullPollMs);
    await vi.waitFor(() => expect(text(host, "pull-progress")).toBe("Pulled llama3.2:3b."));
    expect(onPulled).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(pullPollMs * 3);
    expect(fake.requests.filter((r) => r.path === "/api/agents/pulls")).toHaveLength(2);
  });

  it("shows the agent's words when the pull fails, and offers it again", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const error = 'Ollama has no model named "llama3.2:3b": check the name (and tag) on ollama.com/library.';
    const { host, onPulled } = mountPicker([agent("a1", "desk", ["llama3.2:3b"]), agent("a2", "laptop", [])], () => [
      pull({ status: "failed", done: true, error }),
    ]);
    host.querySelector<HTMLButtonElement>('[data-testid="pull-model"]')?.click();
    await vi.waitFor(() => expect(text(host, "pull-progress")).toBe("Pulling llama3.2:3b: starting…"));
    await vi.advanceTimersByTimeAsync(pullPollMs);
    await vi.waitFor(() => expect(text(host, "pull-error")).toBe(error));
    expect(text(host, "pull-model")).toBe("Pull llama3.2:3b on laptop");
    expect(onPulled).not.toHaveBeenCalled();
  });

  it("says so when the machine is not connected", async () => {
    const { host } = mountPicker([agent("a1", "desk", ["llama3.2:3b"]), agent("a2", "laptop", [])], () => [], false);
    host.querySelector<HTMLButtonElement>('[data-testid="pull-model"]')?.click();
    await vi.waitFor(() =>
      expect(text(host, "pull-error")).toBe("laptop is not connected: start its agent and try again."),
    );
  });
});
