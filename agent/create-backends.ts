/**
 * The engines this agent offers: compute and the mock engine always; Ollama and an
 * OpenAI-compatible server at the URLs given, or at their default ports when they answer there;
 * the embedded llama.cpp engine when a GGUF folder is given; ComfyUI at the URL given. Each is probed once at start.
 */
import type { BackendKind } from "../coordinator/protocol/enums.ts";
import type { Backends } from "../coordinator/protocol/hardware.ts";
import type { Logger } from "../coordinator/protocol/logger.ts";
import { type AgentConfig, defaultEngineUrls } from "./agent-config.ts";
import type { Backend } from "./backends/backend.ts";
import { createComfyUiBackend } from "./backends/comfyui/create-comfyui-backend.ts";
import { createComputeBackend } from "./backends/compute/create-compute-backend.ts";
import { createMockBackend } from "./backends/mock/create-mock-backend.ts";
import { createOllamaBackend } from "./backends/ollama/create-ollama-backend.ts";
import { createOpenAiBackend } from "./backends/openai/create-openai-backend.ts";

export interface AgentBackends {
  backends: Map<BackendKind, Backend>;
  probes: Backends;
}

/** How long each engine gets to answer its probe at start. */
const probeTimeoutMs = 5_000;

export async function createBackends(
  engines: AgentConfig["engines"],
  cpuCount: number,
  log: Logger,
): Promise<AgentBackends> {
  const given: Backend[] = [createComputeBackend({ cpuCount }), createMockBackend()];
  const defaults: Backend[] = [];
  const ollama = createOllamaBackend({ baseUrl: engines.ollamaUrl ?? defaultEngineUrls.ollama, log });
  const openai = createOpenAiBackend({ baseUrl: engines.openaiUrl ?? defaultEngineUrls.openai, log });
  (engines.ollamaUrl ? given : defaults).push(ollama);
  (engines.openaiUrl ? given : defaults).push(openai);
  if (engines.comfyuiUrl) given.push(createComfyUiBackend({ baseUrl: engines.comfyuiUrl, log }));
  if (engines.ggufDir) {
    // loaded only when asked for: the embedded engine is an optional install
    const { createLlamaCppBackend } = await import("./backends/llamacpp/create-llamacpp-backend.ts");
    const threads = engines.llamacppThreads ?? undefined;
    given.push(createLlamaCppBackend({ ggufDir: engines.ggufDir, log, ...(threads ? { threads } : {}) }));
  }

  const backends = new Map<BackendKind, Backend>();
  const probes: Backends = {};
  await Promise.all(
    [...given, ...defaults].map(async (backend) => {
      const probe = await backend.probe(AbortSignal.timeout(probeTimeoutMs));
      const offered = given.includes(backend) || probe.reachable;
      if (!offered) return;
      backends.set(backend.kind, backend);
      probes[backend.kind] = probe;
      if (!probe.reachable) log.warn(`${backend.kind} is not reachable`, { error: probe.error });
    }),
  );
  return { backends, probes };
}
