import { describe, expect, it } from "vitest";
import { createSocketOperatorCheck, operatorSessionValue } from "../../../coordinator/api/operator-auth.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import type { AgentIdentity } from "../../../coordinator/protocol/messages.ts";
import { minSampleGapMs, type RuntimeSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { authorizeConnection } from "../../../coordinator/room/authorize-connection.ts";
import { createLabRoom } from "../../../coordinator/room/lab-room.ts";
import { createRunSamples } from "../../../coordinator/room/run-samples.ts";
import { createFakeConnection } from "../../helpers/fake-connection.ts";
import { createRaceFixture } from "../../helpers/race-fixture.ts";

const sample = (power: number): RuntimeSample => ({
  at: 5,
  cpu_percent: 12.5,
  memory_used_bytes: 1e9,
  gpus: [{ index: 0, util_percent: 100, vram_used_bytes: 5e8, power_w: power, temp_c: 50 }],
});
const message = (power: number) => JSON.stringify({ type: "runtime-sample", sample: sample(power) });

describe("race room runtime samples", () => {
  it("keeps its machines' samples over the race, stamps them with its clock, and stores them through the sink", async () => {
    const race = createRaceFixture(["a1"]);
    await race.open();
    const agent = await race.connectAgent("a1");
    const viewer = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(viewer);
    const at = race.clock.now();
    await race.room.onMessage(agent, message(420));
    race.clock.advance(1000);
    await race.room.flushed();
    const stored = race.batches.flatMap((batch) => batch.samples ?? []);
    expect(stored).toEqual([{ ...sample(420), at, agent_id: "a1" }]);
    const deltas = viewer.ofType("race-delta").flatMap((delta) => (delta.samples as unknown[]) ?? []);
    expect(deltas).toEqual([{ ...sample(420), at, agent_id: "a1" }]);
    const late = createFakeConnection({ role: "viewer" });
    await race.room.onConnect(late);
    expect(late.ofType("race-snapshot")[0]?.samples).toEqual([{ ...sample(420), at, agent_id: "a1" }]);
  });

  it("ignores samples from an agent with no lane and samples after the race ended", async () => {
    const race = createRaceFixture(["a1"]);
    await race.open();
    const stranger = createFakeConnection({ role: "agent", agentId: "zz" });
    await race.room.onMessage(stranger, message(1));
    await race.room.onControl({ type: "race-cancel" });
    const agent = createFakeConnection({ role: "agent", agentId: "a1" });
    await race.room.onMessage(agent, message(2));
    await race.room.flushed();
    expect(race.batches.flatMap((batch) => batch.samples ?? [])).toEqual([]);
  });

  it("keeps at most one sample of a machine per half second, however fast it sends them", async () => {
    const race = createRaceFixture(["a1"]);
    await race.open();
    const agent = await race.connectAgent("a1");
    const first = race.clock.now();
    for (const power of [1, 2, 3]) await race.room.onMessage(agent, message(power));
    race.clock.advance(minSampleGapMs);
    await race.room.onMessage(agent, message(4));
    race.clock.advance(1000);
    await race.room.flushed();
    const stored = race.batches.flatMap((batch) => batch.samples ?? []);
    expect(stored.map((s) => [s.at - first, s.gpus[0]?.power_w])).toEqual([
      [0, 1],
      [minSampleGapMs, 4],
    ]);
  });

  it("drops the oldest samples past its bound", () => {
    const kept = createRunSamples(10);
    for (let i = 0; i < 25; i++) kept.add({ ...sample(i), agent_id: "a1" });
    expect(kept.size()).toBeLessThanOrEqual(10);
    expect(kept.latest(1)[0]?.gpus[0]?.power_w).toBe(24);
  });
});

describe("lab room for operators", () => {
  const identity: AgentIdentity = {
    agent_id: "a1",
    name: "box",
    version: "1",
    hardware: {
      cpu_model: "c",
      cpu_cores: 2,
      cpu_physical_cores: null,
      memory_bytes: 1,
      os: "o",
      arch: "x64",
      gpus: [],
    },
    backends: {},
  };

  it("shows an operator who is present with their latest sample, then each sample as it comes", async () => {
    const room = createLabRoom({ roomId: "main", log: silentLogger, sink: { write: async () => {} } });
    const agent = createFakeConnection({ role: "agent", agentId: "a1" });
    await room.onConnect(agent);
    await room.onMessage(agent, JSON.stringify({ type: "agent-hello", agent: identity }));
    await room.onMessage(agent, message(100));
    const operator = createFakeConnection({ role: "operator" });
    await room.onConnect(operator);
    expect(operator.ofType("lab-fleet")).toEqual([
      {
        type: "lab-fleet",
        agents: [{ agent_id: "a1", name: "box", status: "online" }],
        samples: [{ ...sample(100), agent_id: "a1" }],
      },
    ]);
    await room.onMessage(agent, message(200));
    expect(operator.ofType("fleet-sample")).toEqual([
      { type: "fleet-sample", sample: { ...sample(200), agent_id: "a1" } },
    ]);
    await room.onClose(agent);
    expect(operator.ofType("lab-fleet").at(-1)).toEqual({ type: "lab-fleet", agents: [], samples: [] });
  });

  it("forwards a hardware probe request to present agents and names the missing ones", async () => {
    const room = createLabRoom({ roomId: "main", log: silentLogger, sink: { write: async () => {} } });
    const agent = createFakeConnection({ role: "agent", agentId: "a1" });
    await room.onConnect(agent);
    await room.onMessage(agent, JSON.stringify({ type: "agent-hello", agent: identity }));
    const reply = await room.onControl({ type: "lab-probe", agent_ids: ["a1", "a9"] });
    expect(reply).toEqual({ status: 200, body: { reached: ["a1"], missing: ["a9"] } });
    expect(agent.ofType("hardware-probe")).toEqual([{ type: "hardware-probe" }]);
  });

  it("refuses spectators, and operators without the operator key", async () => {
    const room = createLabRoom({ roomId: "main", log: silentLogger, sink: { write: async () => {} } });
    const viewer = createFakeConnection({ role: "viewer" });
    await room.onConnect(viewer);
    expect(viewer.closed?.code).toBe(4003);
    const check = {
      agentKeySecret: "s",
      isRevoked: () => false,
      isOperator: createSocketOperatorCheck("op-key"),
    };
    const url = (query: string) => new URL(`http://x/parties/lab/main?${query}`);
    expect(await authorizeConnection("lab", url("role=operator&key=op-key"), check)).toEqual({
      ok: true,
      who: { role: "operator" },
    });
    expect(await authorizeConnection("lab", url("role=operator&key=wrong"), check)).toMatchObject({
      ok: false,
      status: 401,
    });
    const cookie = `theme=dark; bench_operator=${operatorSessionValue("op-key")}`;
    expect(await authorizeConnection("lab", url("role=operator"), check, cookie)).toEqual({
      ok: true,
      who: { role: "operator" },
    });
    expect(await authorizeConnection("lab", url("role=operator"), check, "bench_operator=op-key")).toMatchObject({
      ok: false,
    });
    expect(
      await authorizeConnection("lab", url("role=operator&key=op-key"), { ...check, isOperator: undefined }),
    ).toMatchObject({
      ok: false,
      status: 401,
    });
    expect(await authorizeConnection("lab", url(""), check)).toMatchObject({ ok: false, status: 403 });
  });
});
