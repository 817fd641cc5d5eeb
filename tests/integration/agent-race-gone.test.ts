/**
 * An agent whose race is gone (a restarted coordinator that holds no room for it, or a room that
 * says the race is over) cancels the jobs of that race. A stand-in coordinator on loopback plays
 * the lab and race rooms over real sockets; the runner is a recorder.
 */
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { type WebSocket, WebSocketServer } from "ws";
import { type AgentConnection, createAgentConnection } from "../../agent/connection.ts";
import type { Runner } from "../../agent/runner.ts";
import type { JobSpec } from "../../coordinator/protocol/job.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import type { RaceToAgent } from "../../coordinator/protocol/messages.ts";

const runId = "run-gone";
const job: JobSpec = {
  job_id: `${runId}/l0`,
  run_id: runId,
  lane_id: "l0",
  workload: "compute",
  backend: "compute",
  model: null,
  params: { algorithm: "segmented_sieve", n: 1000, progress_interval_s: 1 },
  repeats: 1,
  warmup: 0,
};

const identity = {
  agent_id: "agent-1",
  name: "lab-1",
  version: "0.1.0",
  hardware: {
    cpu_model: "test cpu",
    cpu_cores: 2,
    cpu_physical_cores: 1,
    memory_bytes: 1024,
    os: "test os",
    arch: "x64",
    gpus: [],
  },
  backends: {},
};

function recordingRunner() {
  const enqueued: string[] = [];
  const cancelled: string[] = [];
  const runner: Runner = {
    enqueue: (spec) => void enqueued.push(spec.job_id),
    cancel: (jobId) => void cancelled.push(jobId),
    go: () => {},
    stopAll: () => {},
  };
  return { runner, enqueued, cancelled };
}

/** The next race-room socket the agent opens, with its first message (agent-join) already in. */
function nextRaceSocket(wss: WebSocketServer): Promise<WebSocket> {
  return new Promise((resolve) => {
    const onConnection = (ws: WebSocket, req: { url?: string }) => {
      if (!req.url?.startsWith(`/parties/race/${runId}`)) return;
      wss.off("connection", onConnection);
      ws.once("message", () => resolve(ws));
    };
    wss.on("connection", onConnection);
  });
}

const send = (ws: WebSocket, message: RaceToAgent | Record<string, unknown>) => ws.send(JSON.stringify(message));
const closedByAgent = (ws: WebSocket) => new Promise<void>((resolve) => ws.once("close", () => resolve()));

describe("an agent told that its race is gone", () => {
  let wss: WebSocketServer | null = null;
  let connection: AgentConnection | null = null;
  afterEach(() => {
    connection?.close();
    wss?.close();
  });

  async function agentInRace() {
    wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => wss?.once("listening", () => resolve()));
    const server = wss;
    server.on("connection", (ws, req) => {
      if (!req.url?.startsWith("/parties/lab/")) return;
      send(ws, { type: "lab-welcome", agent_id: identity.agent_id });
      send(ws, { type: "race-join", run_id: runId });
    });
    const firstRace = nextRaceSocket(server);
    const recorder = recordingRunner();
    connection = createAgentConnection({
      coordinatorUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      agentKey: "token",
      identity,
      runner: recorder.runner,
      log: silentLogger,
    });
    const race = await firstRace;
    return { server, race, ...recorder };
  }

  it("cancels the race's job when the restarted coordinator has no room for it", async () => {
    const { server, race, enqueued, cancelled } = await agentInRace();
    send(race, { type: "job-assign", job, acked_seq: 0 });
    // a coordinator restart: the socket drops, and the new process knows nothing of the race
    const again = nextRaceSocket(server);
    race.close(1012, "service restart");
    const reconnected = await again;
    expect(enqueued).toEqual([job.job_id]);
    expect(cancelled).toEqual([]);
    const left = closedByAgent(reconnected);
    send(reconnected, { type: "error", code: "not_in_race", message: "Agent agent-1 has no lane in race run-gone." });
    await left;
    expect(cancelled).toEqual([job.job_id]);
  });

  it("cancels the race's job when the room says the race is over", async () => {
    const { race, enqueued, cancelled } = await agentInRace();
    send(race, { type: "job-assign", job, acked_seq: 0 });
    const left = closedByAgent(race);
    send(race, { type: "error", code: "race_over", message: "Race run-gone has nothing more for agent agent-1." });
    await left;
    expect(enqueued).toEqual([job.job_id]);
    expect(cancelled).toEqual([job.job_id]);
  });
});
