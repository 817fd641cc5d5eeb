/**
 * Hostile messages into the rooms, thousands per kind of sender: whatever an agent or a spectator
 * sends, the room handles it without throwing, the race state stays valid by the protocol's own
 * schema, and a race still runs to the right result afterwards.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import { raceStateSchema } from "../../../coordinator/protocol/race-state.ts";
import { createLabRoom } from "../../../coordinator/room/lab-room.ts";
import { createFakeConnection } from "../../helpers/fake-connection.ts";
import { createRaceFixture, finishedJob, runId } from "../../helpers/race-fixture.ts";

const types = [
  "agent-join",
  "job-event",
  "job-live",
  "clock-pong",
  "snapshot-request",
  "agent-hello",
  "agent-status",
  "model-pull-progress",
];
const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.constantFrom(`${runId}/l0`, `${runId}/l1`, "a1", "a2", 0, 1, 2, -1, 1e308, "job-start", "job-finish"),
);
const shapedMessage = fc.record(
  {
    type: fc.oneof(fc.constantFrom(...types), hostileValue),
    job_id: hostileValue,
    agent_id: hostileValue,
    seq: hostileValue,
    ping_id: hostileValue,
    agent_at: hostileValue,
    repeat: hostileValue,
    warmup: hostileValue,
    stats: hostileValue,
    event: fc.oneof(
      fc.record({ type: fc.constantFrom("job-start", "job-ready", "job-finish", "job-text") }),
      hostileValue,
    ),
    agent: hostileValue,
    status: hostileValue,
  },
  { requiredKeys: ["type"] },
);
const anyMessage = fc.oneof(
  shapedMessage.map((m) => JSON.stringify(m)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary", maxLength: 2000 }),
);

describe("room messages under fuzzing", () => {
  it("a race room survives anything its agents and spectators send, and still finishes a clean job right", async () => {
    const race = createRaceFixture();
    await race.open();
    const a1 = await race.connectAgent("a1");
    const a2 = await race.connectAgent("a2");
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(a2, viewer), anyMessage, async (conn, raw) => {
        await race.room.onMessage(conn, raw);
        expect(raceStateSchema.safeParse(race.room.state()).success).toBe(true);
      }),
      { numRuns: 3000 },
    );
    for (const [i, event] of finishedJob(168).entries()) await race.sendEvent(a1, "l0", i + 1, event);
    const lane = race.room.state()?.lanes[0];
    expect(lane?.status).toBe("done");
    expect(lane?.results.map((r) => r.metrics.primes_found)).toEqual([168]);
  });

  it("a lab room survives anything its agents send and still welcomes a well-formed hello", async () => {
    const room = createLabRoom({ roomId: "main", log: silentLogger, sink: { write: async () => {} } });
    const agent = createFakeConnection({ role: "agent", agentId: "a1" });
    await room.onConnect(agent);
    await fc.assert(
      fc.asyncProperty(anyMessage, async (raw) => {
        await room.onMessage(agent, raw);
      }),
      { numRuns: 3000 },
    );
    const fresh = createFakeConnection({ role: "agent", agentId: "a2" });
    await room.onConnect(fresh);
    await room.onMessage(
      fresh,
      JSON.stringify({
        type: "agent-hello",
        agent: {
          agent_id: "a2",
          name: "box",
          version: "1",
          hardware: {
            cpu_model: "x",
            cpu_cores: 1,
            cpu_physical_cores: 1,
            memory_bytes: 1,
            os: "l",
            arch: "x",
            gpus: [],
          },
          backends: {},
        },
      }),
    );
    expect(fresh.ofType("lab-welcome")).toEqual([{ type: "lab-welcome", agent_id: "a2" }]);
  });
});
