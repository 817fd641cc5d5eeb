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
import { hardwareIdOf } from "./probes/hardware-id.ts";
import { probeHardware } from "./probes/probe-hardware.ts";
import { createRunner } from "./runner.ts";
import { createSampler } from "./sampler/create-sampler.ts";
import { openSamplerSources } from "./sampler/open-sampler-sources.ts";

/** How long the engine gets to answer the probe after a model pull, in milliseconds. */
const reprobeTimeoutMs = 5_000;

export interface RunningAgent {
  agentId: string;
  connection: AgentConnection;
  /** ends running and queued jobs as failed (agent_stopped), waits up to `graceMs` for the rooms to hear it, then hangs up */
  close(graceMs?: number): Promise<void>;
}

export async function startAgent(config: AgentConfig, log: Logger): Promise<RunningAgent> {
  const hardware = await probeHardware(log);
  const { backends, probes } = await createBackends(config.engines, hardware.cpu_cores, log);

  const { agent_id: agentId, agent_key: agentKey } = await loadOrEnroll({
    stateDir: config.stateDir,
    name: config.name,
    coordinatorUrl: config.coordinatorUrl,
    token: config.token,
  });
  let connection: AgentConnection | null = null;
  const now = () => performance.now();
  const sampler = createSampler({
    sources: openSamplerSources(hardware, log, now, { powermetrics: config.powermetrics }),
    now,
    clockOrigin: performance.timeOrigin,
  });
  let hardwareId = hardwareIdOf(hardware);
  const runner = createRunner({
    backends,
    now,
    agentVersion: appVersion,
    os: hardware.os,
    hardwareId: () => hardwareId,
    log,
    energy: sampler.energy,
    onBusyChange: (busy) => connection?.setBusy(busy),
  });
  /** probes an engine again once it holds a new model, and tells the coordinator what it offers now */
  const reprobe = async (kind: "ollama" | "comfyui") => {
    const backend = backends.get(kind);
    if (!backend) return;
    probes[kind] = await backend.probe(AbortSignal.timeout(reprobeTimeoutMs));
    connection?.updateBackends({ ...probes });
  };
  const ollama = backends.get("ollama");
  const puller = createModelPuller({
    ollamaUrl: ollama ? (config.engines.ollamaUrl ?? defaultEngineUrls.ollama) : null,
    fetch: (input, init) => fetch(input, init),
    now: () => performance.now(),
    report: (progress) => connection?.reportPull(progress),
    onPulled: () => reprobe("ollama"),
    log,
  });
  const checkpoints = createCheckpointSyncer({
    dir: config.engines.comfyuiCheckpoints,
    now: () => performance.now(),
    report: (progress) => connection?.reportPull(progress),
    onSynced: () => reprobe("comfyui"),
    log,
  });
  connection = createAgentConnection({
    coordinatorUrl: config.coordinatorUrl,
    agentKey,
    outboxDir: resetOutboxDir(join(config.stateDir, "outbox", agentId)),
    identity: {
      agent_id: agentId,
      name: config.name,
      version: appVersion,
      hardware,
      hardware_id: hardwareId,
      backends: probes,
    },
    runner,
    log,
    onModelPull: (model) => puller.pull(model),
    // a new probe: later results point at the new snapshot, earlier ones keep theirs
    onHardwareProbe: () =>
      void probeHardware(log).then((probed) => {
        hardwareId = hardwareIdOf(probed);
        connection?.updateHardware(probed, hardwareId);
      }),
    onCheckpointSync: (checkpoint) => checkpoints.sync(checkpoint),
  });
  sampler.onSample((sample) => connection?.reportSample(sample));
  return {
    agentId,
    connection,
    async close(graceMs = 3_000) {
      runner.stopAll();
      puller.stop();
      sampler.stop();
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
