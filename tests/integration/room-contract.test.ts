/**
 * The rooms' contract, run against both hosts: local mode's Node host and the PartyKit host under
 * real `partykit dev`. The same sockets, the same answers: keys checked before the upgrade,
 * spectators kept out of the lab and of races that do not exist, a snapshot then deltas to the
 * finish, and a spectator's close answered at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { RunView } from "../../coordinator/protocol/api.ts";
import { type RaceToViewer, raceToViewerSchema } from "../../coordinator/protocol/messages.ts";
import { startCloudRace } from "../helpers/cloud-race.ts";
import { startLocalRace } from "../helpers/local-race.ts";
import { isRaceOver, watchRace } from "../helpers/watch-race.ts";

interface HostUnderTest {
  url: string;
  startRun(body: Record<string, unknown>): Promise<RunView>;
  stop(): Promise<void>;
}

const hosts: Array<[string, () => Promise<HostUnderTest>]> = [
  [
    "the Node host (local mode)",
    async () => {
      const local = await startLocalRace({ agentNames: ["lab-1", "lab-2"] });
      return { url: local.server.url, startRun: local.startRun, stop: local.stop };
    },
  ],
  [
    "the PartyKit host (partykit dev)",
    async () => {
      const cloud = await startCloudRace({ agentNames: ["lab-1", "lab-2"] });
      return { url: cloud.url, startRun: cloud.startRun, stop: cloud.stop };
    },
  ],
];

/** How a socket ended up: refused before the upgrade (HTTP status), or opened and later closed (close code). */
function outcomeOf(url: string): Promise<{ status: number } | { closed: number; messages: RaceToViewer[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: RaceToViewer[] = [];
    ws.on("unexpected-response", (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on("message", (data) => messages.push(raceToViewerSchema.parse(JSON.parse(String(data)))));
    ws.on("close", (code) => resolve({ closed: code, messages }));
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

  it("shows a spectator no race where none was opened", async () => {
    const outcome = await outcomeOf(ws("/parties/race/no-such-run"));
    // the Node host knows the stored runs and refuses before the upgrade; a PartyKit room says so and closes
    if ("status" in outcome) expect(outcome.status).toBe(404);
    else {
      expect(outcome.closed).toBe(4004);
      expect(outcome.messages.every((m) => m.type === "error")).toBe(true);
    }
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
});
