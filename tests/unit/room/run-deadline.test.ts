import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import { createRaceRoom } from "../../../coordinator/room/race-room.ts";
import { createFakeClock } from "../../helpers/fake-clock.ts";
import { createFakeConnection } from "../../helpers/fake-connection.ts";
import { finishedJob, provenance, raceSetup, runId } from "../../helpers/race-fixture.ts";

describe("run deadline", () => {
  it("ends a race at its deadline: running lanes are stopped on their agents and end with the reason", async () => {
    const clock = createFakeClock();
    const room = createRaceRoom({ roomId: runId, clock, log: silentLogger, sink: { write: async () => {} } });
    const setup = raceSetup();
    await room.onControl({ type: "race-open", setup: { ...setup, run: { ...setup.run, deadline_s: 60 } } });
    const a1 = createFakeConnection({ role: "agent", agentId: "a1" });
    const a2 = createFakeConnection({ role: "agent", agentId: "a2" });
    for (const [i, conn] of [a1, a2].entries()) {
      await room.onConnect(conn);
      await room.onMessage(conn, JSON.stringify({ type: "agent-join", agent_id: `a${i + 1}` }));
    }
    const send = (conn: typeof a1, lane: string, seq: number, event: unknown) =>
      room.onMessage(conn, JSON.stringify({ type: "job-event", job_id: `${runId}/${lane}`, seq, event }));
    for (const [i, event] of finishedJob(168).entries()) await send(a1, "l0", i + 1, event);
    await send(a2, "l1", 1, { type: "job-start", provenance });
    clock.advance(60_000);
    await room.flushed();
    const state = room.state();
    expect(state?.status).toBe("done");
    expect(state?.lanes.map((lane) => [lane.status, lane.error?.code ?? null])).toEqual([
      ["done", null],
      ["lost", "deadline_exceeded"],
    ]);
    expect(a2.ofType("job-cancel")).toContainEqual({ type: "job-cancel", job_id: `${runId}/l1` });
    expect(a1.ofType("job-cancel")).not.toContainEqual({ type: "job-cancel", job_id: `${runId}/l1` });
  });
});
