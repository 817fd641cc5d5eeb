import { describe, expect, it } from "vitest";
import type { FleetChange } from "../../../coordinator/protocol/api.ts";
import { silentLogger } from "../../../coordinator/protocol/logger.ts";
import { createRetryingFleetSink } from "../../../coordinator/room/retrying-fleet-sink.ts";
import { createFakeClock, passTime } from "../../helpers/fake-clock.ts";

/** a retrying sink on a fake clock over an API that fails every write while `api.down` */
function sinkOverFlakyApi() {
  const clock = createFakeClock();
  const api = { down: true, tries: [] as number[], written: [] as FleetChange[] };
  const sink = createRetryingFleetSink({
    clock,
    log: silentLogger,
    sink: {
      write: async (change) => {
        api.tries.push(clock.now());
        if (api.down) throw new Error("the API answered 502");
        api.written.push(change);
      },
    },
  });
  return { clock, api, sink };
}

describe("retrying fleet sink", () => {
  it("writes each agent's latest change once the API is back, backing off while it is not", async () => {
    const { clock, api, sink } = sinkOverFlakyApi();
    const start = clock.now();
    await expect(sink.write({ type: "agent-gone", agent_id: "a1" })).rejects.toThrow("502");
    await expect(sink.write({ type: "agent-gone", agent_id: "a2" })).rejects.toThrow("502");
    await passTime(clock, 6_000);
    // a first try each, then retries 2 s and 4 s later (each stops at the first failure)
    expect(api.tries.map((at) => at - start)).toEqual([0, 0, 2_000, 6_000]);
    api.down = false;
    await passTime(clock, 8_000);
    expect(api.written).toEqual([
      { type: "agent-gone", agent_id: "a1" },
      { type: "agent-gone", agent_id: "a2" },
    ]);
  });

  it("drops a kept change once a newer change of the same agent got through", async () => {
    const { clock, api, sink } = sinkOverFlakyApi();
    await sink.write({ type: "agent-gone", agent_id: "a1" }).catch(() => undefined);
    api.down = false;
    const seen: FleetChange = {
      type: "agent-seen",
      status: "online",
      agent: {
        agent_id: "a1",
        name: "box",
        version: "0.1.0",
        hardware: {
          cpu_model: "cpu",
          cpu_cores: 2,
          cpu_physical_cores: 1,
          memory_bytes: 1,
          os: "linux",
          arch: "x64",
          gpus: [],
        },
        backends: {},
      },
    };
    await sink.write(seen);
    clock.advance(10_000);
    await new Promise((done) => setImmediate(done));
    expect(api.written).toEqual([seen]);
  });
});
