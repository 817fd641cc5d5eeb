/**
 * `npm run bench:relay`: how well local mode relays token streams. Starts local mode in a child
 * process, dials in simulated agents over real sockets (an LLM race on the mock backend, each
 * agent sending `job-text` events at a fixed rate), watches with simulated spectators, and prints
 * events/s delivered, frames/s per viewer and latency, beside raw `ws` broadcast as the ceiling.
 * Options: --agents 20 --viewers 100 --rate 50 --seconds 10 (bounded: at most 60 s).
 */
import os from "node:os";
import { parseArgs } from "node:util";
import { WebSocket, WebSocketServer } from "ws";
import { enrollGrantSchema } from "../coordinator/protocol/api.ts";
import type { JobEvent } from "../coordinator/protocol/job.ts";
import { nearestRank } from "../coordinator/protocol/summary.ts";
import { startServeProcess } from "./start-serve-process.ts";

const { values } = parseArgs({
  options: {
    agents: { type: "string", default: "20" },
    viewers: { type: "string", default: "100" },
    rate: { type: "string", default: "50" },
    seconds: { type: "string", default: "10" },
  },
});
const agentCount = Number(values.agents);
const viewerCount = Number(values.viewers);
const rate = Number(values.rate);
const seconds = Math.min(60, Number(values.seconds));
const operatorKey = "bench-relay-operator-key-000000";
const agentToken = "bench-relay-agent-token-0000000";

/** Latency samples and frame counts of one spectator. */
interface ViewerStats {
  frames: number;
  events: number;
  /** per job: last text seq seen, to prove nothing was lost or reordered */
  lastTextSeq: Map<string, number>;
  gaps: number;
  /** agent send -> viewer receive, per event, ms */
  e2e: number[];
  /** per frame: receive minus the send time of the newest event in it, ms */
  added: number[];
}

const newStats = (): ViewerStats => ({ frames: 0, events: 0, lastTextSeq: new Map(), gaps: 0, e2e: [], added: [] });

const opened = (ws: WebSocket) =>
  new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });

/** Agents hold their streams until every spectator has its snapshot, so each can see every event. */
let markWatching: () => void = () => {};
const watching = new Promise<void>((resolve) => {
  markWatching = resolve;
});

/** A simulated agent: says hello to the lab, joins each race it is sent to, and streams text at `rate`/s. */
async function simulateAgent(url: string, index: number, onSent: () => void): Promise<() => Promise<void>> {
  const name = `sim-${index}`;
  const enrolled = await fetch(`${url}/api/agents/enroll`, {
    method: "POST",
    headers: { authorization: `Bearer ${agentToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  const { agent_id: id, agent_key: key } = enrollGrantSchema.parse(await enrolled.json());
  const base = url.replace("http", "ws");
  const query = `role=agent&agent_id=${id}&key=${key}`;
  const lab = new WebSocket(`${base}/parties/lab/main?${query}`);
  await opened(lab);
  const welcomed = new Promise<void>((resolve) =>
    lab.on("message", (data) => {
      const message = JSON.parse(String(data));
      if (message.type === "lab-welcome") resolve();
      if (message.type === "race-join") void joinRace(message.run_id);
    }),
  );
  const hardware = {
    cpu_model: "sim",
    cpu_cores: 1,
    cpu_physical_cores: 1,
    memory_bytes: 1,
    os: "sim",
    arch: "x64",
    gpus: [],
  };
  lab.send(
    JSON.stringify({
      type: "agent-hello",
      agent: {
        agent_id: id,
        name,
        version: "0",
        hardware,
        backends: { mock: { reachable: true, version: "1", models: [] } },
      },
    }),
  );
  await welcomed;
  let finished: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finished = resolve;
  });

  async function joinRace(runId: string): Promise<void> {
    const race = new WebSocket(`${base}/parties/race/${runId}?${query}`);
    await opened(race);
    race.on("message", (data) => {
      const message = JSON.parse(String(data));
      if (message.type === "job-assign") void stream(race, message.job.job_id);
    });
    race.send(JSON.stringify({ type: "agent-join", agent_id: id }));
  }

  async function stream(race: WebSocket, jobId: string): Promise<void> {
    await watching;
    let seq = 0;
    const send = (event: JobEvent) =>
      race.send(JSON.stringify({ type: "job-event", job_id: jobId, seq: ++seq, event }));
    const pass = { repeat: 0, warmup: false };
    const provenance = {
      agent_version: "0",
      os: "sim",
      hardware_id: "sim",
      engine: "mock",
      engine_version: "1",
      model_digest: null,
      remote_engine: false,
      engine_host: null,
      params: {},
    };
    send({ type: "job-start", provenance });
    send({ type: "repeat-start", ...pass });
    const began = performance.now();
    const total = rate * seconds;
    for (let i = 1; i <= total; i++) {
      const due = began + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // the text carries its send instant, so spectators in this process can time it
      send({
        type: "job-text",
        ...pass,
        text: `${performance.now().toFixed(3)};`,
        tokens: i,
        t_ms: performance.now() - began,
      });
      onSent();
    }
    send({ type: "repeat-finish", ...pass, metrics: { engine: "mock", gen_tokens: total } });
    send({ type: "job-finish", status: "done", error: null });
    finished();
  }

  return async () => {
    await done;
    lab.close();
  };
}

function watch(url: string, stats: ViewerStats, onSnapshot: () => void): WebSocket {
  const ws = new WebSocket(url);
  ws.on("message", (data) => {
    const received = performance.now();
    const message = JSON.parse(String(data));
    if (message.type === "race-snapshot") onSnapshot();
    if (message.type !== "race-delta") return;
    stats.frames++;
    let newest = Number.NEGATIVE_INFINITY;
    for (const stored of message.events) {
      stats.events++;
      const event = stored.event;
      if (event.type !== "lane-event" || event.event.type !== "job-text") continue;
      const last = stats.lastTextSeq.get(event.lane_id) ?? 2;
      if (event.job_seq !== last + 1) stats.gaps++;
      stats.lastTextSeq.set(event.lane_id, event.job_seq);
      const sent = Number.parseFloat(event.event.text);
      stats.e2e.push(received - sent);
      newest = Math.max(newest, sent);
    }
    if (Number.isFinite(newest)) stats.added.push(received - newest);
  });
  return ws;
}

interface Outcome {
  label: string;
  sent: number;
  seconds: number;
  viewers: ViewerStats[];
}

async function benchRelay(): Promise<Outcome> {
  const server = await startServeProcess({ operatorKey, agentToken });
  const { url } = server;
  try {
    let sent = 0;
    const stops = await Promise.all(Array.from({ length: agentCount }, (_, i) => simulateAgent(url, i, () => sent++)));
    const response = await fetch(`${url}/api/runs`, {
      method: "POST",
      headers: { authorization: `Bearer ${operatorKey}`, "content-type": "application/json" },
      body: JSON.stringify({
        workload: "llm",
        agents: Array.from({ length: agentCount }, (_, i) => `sim-${i}`),
        backend: "mock",
        params: { prompt: "relay bench" },
      }),
    });
    if (response.status !== 201) throw new Error(`POST /api/runs: ${response.status} ${await response.text()}`);
    const { run } = (await response.json()) as { run: { id: string } };
    const viewers = Array.from({ length: viewerCount }, newStats);
    let snapshots = 0;
    const sockets = viewers.map((stats) =>
      watch(`${url.replace("http", "ws")}/parties/race/${run.id}?role=viewer`, stats, () => {
        if (++snapshots === viewerCount) markWatching();
      }),
    );
    await watching;
    const started = performance.now();
    await Promise.all(stops.map((stop) => stop()));
    // let the last frames arrive
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const ws of sockets) ws.close();
    return { label: "bench-race local mode", sent, seconds: (performance.now() - started) / 1000, viewers };
  } finally {
    await server.stop();
  }
}

/** The ceiling: a bare ws server that forwards each agent message to every viewer at once. */
async function benchRawWs(): Promise<Outcome> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise((resolve) => wss.once("listening", resolve));
  const address = wss.address();
  if (typeof address !== "object" || address === null) throw new Error("no address");
  const viewerSockets = new Set<WebSocket>();
  wss.on("connection", (socket, request) => {
    if (request.url?.includes("viewer")) viewerSockets.add(socket);
    else
      socket.on("message", (data) => {
        for (const viewer of viewerSockets) viewer.send(data, { binary: false });
      });
  });
  const base = `ws://127.0.0.1:${address.port}`;
  const viewers = Array.from({ length: viewerCount }, newStats);
  const rawViewers = viewers.map((stats) => {
    const ws = new WebSocket(`${base}/viewer`);
    ws.on("message", (data) => {
      const received = performance.now();
      const { seq, lane, sent } = JSON.parse(String(data));
      stats.frames++;
      stats.events++;
      const last = stats.lastTextSeq.get(lane) ?? 0;
      if (seq !== last + 1) stats.gaps++;
      stats.lastTextSeq.set(lane, seq);
      stats.e2e.push(received - sent);
      stats.added.push(received - sent);
    });
    return ws;
  });
  await Promise.all(rawViewers.map(opened));
  let sent = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: agentCount }, async (_, lane) => {
      const ws = new WebSocket(`${base}/agent`);
      await opened(ws);
      const began = performance.now();
      for (let seq = 1; seq <= rate * seconds; seq++) {
        const wait = began + (seq * 1000) / rate - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        ws.send(JSON.stringify({ seq, lane, sent: performance.now() }));
        sent++;
      }
      ws.close();
    }),
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  for (const ws of rawViewers) ws.close();
  wss.close();
  return { label: "raw ws broadcast (ceiling)", sent, seconds: (performance.now() - started) / 1000, viewers };
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

function row(outcome: Outcome): string {
  const expected = outcome.sent;
  const delivered = outcome.viewers.reduce((sum, v) => sum + v.e2e.length, 0);
  const complete = outcome.viewers.filter((v) => v.e2e.length === expected && v.gaps === 0).length;
  const framesPerViewer = outcome.viewers.map((v) => v.frames / outcome.seconds);
  const e2e = outcome.viewers.flatMap((v) => v.e2e);
  const added = outcome.viewers.flatMap((v) => v.added);
  return `| ${outcome.label} | ${fmt(delivered / outcome.seconds, 0)} | ${fmt(Math.max(...framesPerViewer))} | ${fmt(nearestRank(e2e, 0.5))} / ${fmt(nearestRank(e2e, 0.99))} | ${fmt(nearestRank(added, 0.5))} / ${fmt(nearestRank(added, 0.99))} | ${complete} of ${outcome.viewers.length} |`;
}

const relay = await benchRelay();
const raw = await benchRawWs();
process.stdout.write(
  [
    `${agentCount} agents x ${rate} text events/s for ${seconds} s, ${viewerCount} spectators; ${os.cpus()[0]?.model} x ${os.availableParallelism()}, load average ${os.loadavg()[0]?.toFixed(2)}`,
    "",
    "| relay | text events/s delivered (all viewers) | max frames/s per viewer | e2e latency p50 / p99 ms | added latency p50 / p99 ms | viewers with every event, in order |",
    "|---|---|---|---|---|---|",
    row(relay),
    row(raw),
    "",
  ].join("\n"),
);
