/**
 * Brings an agent up: probes the machine and its backends, then dials out to the coordinator.
 * Used by the `agent` command and by local mode's embedded agent alike.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { appVersion } from "../coordinator/protocol/app-version.ts";
import type { Logger } from "../coordinator/protocol/logger.ts";
import { type AgentConfig, defaultEngineUrls } from "./agent-config.ts";
import { type AgentConnection, createAgentConnection } from "./connection.ts";
import { createBackends } from "./create-backends.ts";
import { createCheckpointSyncer } from "./create-checkpoint-syncer.ts";
import { createModelPuller } from "./create-model-puller.ts";
import { loadOrEnroll } from "./enroll-agent.ts";
import { hardwareIdOf, probeHardware } from "./probes/probe-hardware.ts";
import { createRunner } from "./runner.ts";

/** How long the engine gets to answer the probe after a model pull, in milliseconds. */
const reprobeTimeoutMs = 5_000;

export interface RunningAgent {
  agentId: string;
  connection: AgentConnection;
  /** ends running and queued jobs as failed (agent_stopped), waits up to `graceMs` for the rooms to hear it, then hangs up */
  close(graceMs?: number): Promise<void>;
}

export async function startAgent(config: AgentConfig, log: Logger): Promise<RunningAgent> {
  const hardware = await probeHardware();
  const { backends, probes } = await createBackends(config.engines, hardware.cpu_cores, log);

  const { agent_id: agentId, agent_key: agentKey } = await loadOrEnroll({
    stateDir: config.stateDir,
    name: config.name,
    coordinatorUrl: config.coordinatorUrl,
    token: config.token,
  });
  let connection: AgentConnection | null = null;
  const runner = createRunner({
    backends,
    now: () => performance.now(),
    agentVersion: appVersion,
    os: hardware.os,
    hardwareId: hardwareIdOf(hardware),
    log,
    onBusyChange: (busy) => connection?.setBusy(busy),
  });
  const ollama = backends.get("ollama");
  const puller = createModelPuller({
    ollamaUrl: ollama ? (config.engines.ollamaUrl ?? defaultEngineUrls.ollama) : null,
    fetch: (input, init) => fetch(input, init),
    now: () => performance.now(),
    report: (progress) => connection?.reportPull(progress),
    async onPulled() {
      if (!ollama) return;
      probes.ollama = await ollama.probe(AbortSignal.timeout(reprobeTimeoutMs));
      connection?.updateBackends({ ...probes });
    },
    log,
  });
  const comfyui = backends.get("comfyui");
  const checkpoints = createCheckpointSyncer({
    dir: config.engines.comfyuiCheckpoints,
    now: () => performance.now(),
    report: (progress) => connection?.reportPull(progress),
    async onSynced() {
      if (!comfyui) return;
      probes.comfyui = await comfyui.probe(AbortSignal.timeout(reprobeTimeoutMs));
      connection?.updateBackends({ ...probes });
    },
    log,
  });
  connection = createAgentConnection({
    coordinatorUrl: config.coordinatorUrl,
    agentKey,
    outboxDir: resetOutboxDir(join(config.stateDir, "outbox", agentId)),
    identity: { agent_id: agentId, name: config.name, version: appVersion, hardware, backends: probes },
    runner,
    log,
    onModelPull: (model) => puller.pull(model),
    onCheckpointSync: (checkpoint) => checkpoints.sync(checkpoint),
  });
  return {
    agentId,
    connection,
    async close(graceMs = 3_000) {
      runner.stopAll();
      puller.stop();
      checkpoints.stop();
      await Promise.race([connection?.whenIdle(), delay(graceMs, undefined, { ref: false })]);
      connection?.close();
    },
  };
}

/** A new agent process starts with an empty outbox: jobs of an earlier process end `agent_restarted`. */
function resetOutboxDir(dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
