import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import { messageRates } from "../../coordinator/room/message-guard.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

describe("socket limits", () => {
  let race: LocalRace;
  beforeEach(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
  });
  afterEach(() => race.stop());

  it("closes a spectator that floods its socket with messages, and lets a new one watch", async () => {
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: { n: 1e6, threads: 1 } });
    await race.raceFinished(run.id);
    const url = `${race.server.url.replace("http", "ws")}/parties/race/${run.id}`;
    const flooder = new WebSocket(url);
    await new Promise((resolve) => flooder.once("open", resolve));
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      flooder.on("close", (code, reason) => resolve({ code, reason: String(reason) })),
    );
    for (let i = 0; i < messageRates.viewer.capacity * 3; i++)
      flooder.send(JSON.stringify({ type: "snapshot-request" }));
    expect(await closed).toEqual({ code: 1008, reason: "too many messages: at most 5 a second" });
    const fresh = new WebSocket(url);
    const first = await new Promise<string>((resolve) => fresh.once("message", (data) => resolve(String(data))));
    expect(JSON.parse(first).type).toBe("race-snapshot");
    fresh.close();
  });
});
