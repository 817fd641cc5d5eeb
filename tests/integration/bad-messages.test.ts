import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { type RaceToViewer, raceToViewerSchema } from "../../coordinator/protocol/messages.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

/** Opens a socket and collects what the room sends, parsed. */
async function openSocket(url: string) {
  const ws = new WebSocket(url);
  const received: RaceToViewer[] = [];
  const waiters: Array<() => void> = [];
  ws.on("message", (data) => {
    received.push(raceToViewerSchema.parse(JSON.parse(String(data))));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const next = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return received.slice(0, count);
  };
  return { ws, next };
}

describe("bad messages over real sockets", () => {
  let race: LocalRace;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterAll(() => race?.stop());

  it("answers a spectator's garbage and commands with errors, and the room keeps serving", async () => {
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: { n: 1000 } });
    await race.raceFinished(run.id);

    const viewer = await openSocket(`${race.server.url.replace("http", "ws")}/parties/race/${run.id}`);
    viewer.ws.send("}{ not json");
    viewer.ws.send(
      JSON.stringify({ type: "job-event", job_id: `${run.id}/l0`, seq: 99, event: { type: "job-finish" } }),
    );
    viewer.ws.send(JSON.stringify({ type: "snapshot-request" }));
    const messages = await viewer.next(4);
    expect(messages.map((m) => (m.type === "error" ? m.code : m.type))).toEqual([
      "race-snapshot",
      "bad_json",
      "bad_message",
      "race-snapshot",
    ]);
    const last = messages[3];
    expect(last?.type === "race-snapshot" ? last.state.status : null).toBe("done");
    viewer.ws.close();

    const stored = await race.getRun(run.id);
    expect(stored.status).toBe("done");
  });
});
