/**
 * The rooms' contract, run against both hosts: local mode's Node host and the PartyKit host under
 * real `partykit dev`. The same sockets, the same answers: keys checked before the upgrade,
 * spectators kept out of the lab and of races that do not exist, the operator let into the lab's
 * fleet by key or cookie, a message over the size or rate limit closing its socket, a snapshot then deltas to the
 * finish, a spectator's close answered at once, and no more sockets from one address than the limit.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { operatorCookieName, operatorSessionValue } from "../../coordinator/api/operator-auth.ts";
import type { RunView } from "../../coordinator/protocol/api.ts";
import {
  type LabToOperator,
  labToOperatorSchema,
  type RaceToViewer,
  raceToViewerSchema,
} from "../../coordinator/protocol/messages.ts";
import { messageRates } from "../../coordinator/room/message-guard.ts";
import { maxMessageBytes } from "../../coordinator/room/parse-message.ts";
import { maxSocketsPerAddress, tooManySocketsReason } from "../../coordinator/room/sockets-per-address.ts";
import { startCloudRace } from "../helpers/cloud-race.ts";
import { startLocalRace } from "../helpers/local-race.ts";
import { isRaceOver, watchRace } from "../helpers/watch-race.ts";

interface HostUnderTest {
  url: string;
  operatorKey: string;
  startRun(body: Record<string, unknown>): Promise<RunView>;
  stop(): Promise<void>;
}

const hosts: Array<[string, () => Promise<HostUnderTest>]> = [
  [
    "the Node host (local mode)",
    async () => {
      const local = await startLocalRace({ agentNames: ["lab-1", "lab-2"] });
      return {
        url: local.server.url,
        operatorKey: local.server.operatorKey,
        startRun: local.startRun,
        stop: local.stop,
      };
    },
  ],
  [
    "the PartyKit host (partykit dev)",
    async () => {
      const cloud = await startCloudRace({ agentNames: ["lab-1", "lab-2"] });
      return { url: cloud.url, operatorKey: cloud.api.operatorKey, startRun: cloud.startRun, stop: cloud.stop };
    },
  ],
];

/** How a socket ended up: refused before the upgrade (HTTP status), or opened and later closed (close code). */
function outcomeOf(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number } | { closed: number; reason: string; messages: RaceToViewer[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: RaceToViewer[] = [];
    ws.on("unexpected-response", (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on("message", (data) => messages.push(raceToViewerSchema.parse(JSON.parse(String(data)))));
    ws.on("close", (code, reason) => resolve({ closed: code, reason: String(reason), messages }));
    ws.on("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

/** The first message the lab room sends an operator's socket, which is then closed. */
function firstLabMessage(url: string, headers: Record<string, string> = {}): Promise<LabToOperator> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on("unexpected-response", (_req, res) => reject(new Error(`upgrade refused with ${res.statusCode}`)));
    ws.once("message", (data) => {
      resolve(labToOperatorSchema.parse(JSON.parse(String(data))));
      ws.close(1000, "seen");
    });
  });
}

/** A spectator's socket once it has its first message, and how it ends up closed. */
async function watch(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(url, { headers });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  await new Promise((resolve, reject) => {
    ws.once("message", resolve);
    ws.once("error", reject);
  });
  return { ws, closed };
}

/** A spectator's socket once it has its first message, or how it was refused. */
async function outcomeOrSocket(
  url: string,
  headers: Record<string, string>,
): Promise<{ socket: Awaited<ReturnType<typeof watch>> } | { outcome: Awaited<ReturnType<typeof outcomeOf>> }> {
  const ws = new WebSocket(url, { headers });
  const messages: RaceToViewer[] = [];
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
  );
  return new Promise((resolve, reject) => {
    ws.once("message", () => resolve({ socket: { ws, closed } }));
    ws.on("unexpected-response", (_req, res) => resolve({ outcome: { status: res.statusCode ?? 0 } }));
    void closed.then(({ code, reason }) => resolve({ outcome: { closed: code, reason, messages } }));
    ws.on("error", (error) => {
      if (!/Unexpected server response/.test(error.message)) reject(error);
    });
  });
}

describe.each(hosts)("room contract on %s", (_name, start) => {
  let host: HostUnderTest;
  beforeAll(async () => {
    host = await start();
  }, 90_000);
  afterAll(() => host?.stop());
  const ws = (path: string) => `${host.url.replace("http", "ws")}${path}`;

  it("refuses an agent whose key is not its own before the upgrade", async () => {
    expect(await outcomeOf(ws("/parties/lab/main?role=agent&agent_id=lab-9&key=not-the-key"))).toEqual({ status: 401 });
  });

  it("keeps spectators out of the lab room", async () => {
    expect(await outcomeOf(ws("/parties/lab/main"))).toEqual({ status: 403 });
  });

  it("shows the operator the lab's live fleet, by key or by the dashboard's cookie, and refuses a wrong key", async () => {
    const byKey = await firstLabMessage(ws(`/parties/lab/main?role=operator&key=${host.operatorKey}`));
    expect(byKey.type).toBe("lab-fleet");
    if (byKey.type === "lab-fleet") expect(byKey.agents.map((a) => a.name).sort()).toEqual(["lab-1", "lab-2"]);
    const cookie = `theme=dark; ${operatorCookieName}=${encodeURIComponent(operatorSessionValue(host.operatorKey))}`;
    expect((await firstLabMessage(ws("/parties/lab/main?role=operator"), { cookie })).type).toBe("lab-fleet");
    expect(await outcomeOf(ws("/parties/lab/main?role=operator&key=not-the-key"))).toEqual({ status: 401 });
    expect(await outcomeOf(ws("/parties/lab/main?role=operator"))).toEqual({ status: 401 });
  });

  it("shows a spectator no race where none was opened", async () => {
    const outcome = await outcomeOf(ws("/parties/race/no-such-run"));
    // the Node host knows the stored runs and refuses before the upgrade; a PartyKit room says so and closes
    if ("status" in outcome) expect(outcome.status).toBe(404);
    else {
      expect(outcome.closed).toBe(4004);
      expect(outcome.messages.every((m) => m.type === "error")).toBe(true);
    }
  });

  it("closes a socket whose message is over the size limit in bytes (1009), or that floods the room (1008)", async () => {
    const run = await host.startRun({
      workload: "compute",
      agents: ["lab-1"],
      params: { preset: "drag_race", n: 1_000_000, duration_s: 1, threads: 1 },
      repeats: 1,
      warmup: 0,
    });
    const url = ws(`/parties/race/${run.id}`);
    const oversized = await watch(url);
    // under the limit in characters, over it in bytes
    oversized.ws.send(JSON.stringify({ type: "snapshot-request", pad: "é".repeat(maxMessageBytes / 2 + 10) }));
    expect((await oversized.closed).code).toBe(1009);
    const flooder = await watch(url);
    for (let i = 0; i < messageRates.viewer.capacity * 3; i++) {
      flooder.ws.send(JSON.stringify({ type: "snapshot-request" }));
    }
    expect(await flooder.closed).toEqual({ code: 1008, reason: "too many messages: at most 5 a second" });
  });

  it("sends a spectator a snapshot, then deltas to the finish, and answers its close at once", async () => {
    const run = await host.startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { preset: "drag_race", n: 1_000_000, duration_s: 1, threads: 1 },
      repeats: 1,
      warmup: 0,
    });
    const socket = new WebSocket(ws(`/parties/race/${run.id}`));
    const received: RaceToViewer[] = [];
    await watchRace(socket, (message) => {
      received.push(message);
      return isRaceOver(message);
    });
    expect(received[0]?.type).toBe("race-snapshot");
    expect(received.slice(1).every((m) => m.type === "race-delta")).toBe(true);
    const startedAt = performance.now();
    const code = await new Promise<number>((resolve) => {
      socket.on("close", (closeCode) => resolve(closeCode));
      socket.close(1000, "done watching");
    });
    expect(code).toBe(1000);
    // workerd leaves a client's close frame unanswered for 30 s unless the host answers it
    expect(performance.now() - startedAt).toBeLessThan(5_000);
  });

  it("refuses a socket past the most one address may hold, and takes one again once another closed", async () => {
    const run = await host.startRun({
      workload: "compute",
      agents: ["lab-1"],
      params: { preset: "drag_race", n: 1_000_000, duration_s: 30, threads: 1 },
      repeats: 1,
      warmup: 0,
    });
    const url = ws(`/parties/race/${run.id}`);
    // the Node host counts by the socket's address; PartyKit by the address Cloudflare's edge sets
    const headers = { "cf-connecting-ip": "203.0.113.7" };
    const open: Awaited<ReturnType<typeof watch>>[] = [];
    let refused: Awaited<ReturnType<typeof outcomeOf>> | null = null;
    while (refused === null && open.length <= maxSocketsPerAddress) {
      const outcome = await outcomeOrSocket(url, headers);
      if ("socket" in outcome) open.push(outcome.socket);
      else refused = outcome.outcome;
    }
    // the Node host also counts this machine's agents' sockets
    expect(open.length).toBeGreaterThan(maxSocketsPerAddress - 8);
    expect(open.length).toBeLessThanOrEqual(maxSocketsPerAddress);
    if (refused && "status" in refused) expect(refused.status).toBe(429);
    else expect(refused).toMatchObject({ closed: 1008, reason: tooManySocketsReason, messages: [] });
    const first = open.shift();
    first?.ws.close(1000, "making room");
    await first?.closed;
    const again = await watch(url, headers);
    open.push(again);
    for (const socket of open) socket.ws.close(1000, "done");
    await Promise.all(open.map((socket) => socket.closed));
  }, 60_000);
});
