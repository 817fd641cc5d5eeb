import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { maxMessageBytes } from "../../coordinator/room/parse-message.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

type Dialed = { ws: WebSocket; messages: string[]; next: () => Promise<void> } | { refused: number };

/** Opens a socket that records what it gets from the start; or the HTTP status that refused the upgrade. */
function dial(url: string): Promise<Dialed> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const messages: string[] = [];
    let wake: (() => void) | null = null;
    ws.on("message", (data) => {
      messages.push(String(data));
      wake?.();
    });
    /** resolves once a message past those seen so far arrives */
    const next = () => {
      const seen = messages.length;
      return new Promise<void>((done) => {
        wake = () => messages.length > seen && done();
        wake();
      });
    };
    ws.once("open", () => resolve({ ws, messages, next }));
    ws.once("unexpected-response", (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once("error", reject);
  });
}

const closed = (ws: WebSocket) =>
  new Promise<{ code: number; reason: string }>((resolve) =>
    ws.once("close", (code, reason) => resolve({ code, reason: reason.toString() })),
  );

describe("room limits over real sockets", () => {
  let race: LocalRace;
  let wsUrl: string;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
    wsUrl = race.server.url.replace("http", "ws");
  });
  afterAll(() => race?.stop());

  it("closes a socket that sends a frame over the message limit in bytes, before the room sees it", async () => {
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: { n: 1000 } });
    await race.raceFinished(run.id);
    const dialed = await dial(`${wsUrl}/parties/race/${run.id}`);
    if (!("ws" in dialed)) throw new Error(`upgrade refused with ${dialed.refused}`);
    const { ws, messages } = dialed;
    const end = closed(ws);
    if (messages.length === 0) await dialed.next();
    // under the limit in characters, over it in bytes
    ws.send(JSON.stringify({ type: "snapshot-request", pad: "é".repeat(maxMessageBytes / 2 + 10) }));
    expect(await end).toEqual({ code: 1009, reason: "" });
    expect(messages.map((m) => JSON.parse(m).type)).toEqual(["race-snapshot"]);
  });

  it("refuses a spectator of a run that does not exist, without making a room for it", async () => {
    const made = await dial(`${wsUrl}/parties/race/no-such-run-123`);
    expect(made).toEqual({ refused: 404 });
    expect(race.server.host.room("race", "no-such-run-123")).toBeUndefined();
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: { n: 1000 } });
    await race.raceFinished(run.id);
    const watched = await dial(`${wsUrl}/parties/race/${run.id}`);
    expect("ws" in watched).toBe(true);
    if ("ws" in watched) watched.ws.close();
  });
});
