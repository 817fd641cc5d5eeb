/**
 * kill -9 of the coordinator in the middle of a race, then a restart on the same data dir: finished
 * runs are intact, the cut race reads interrupted with its lanes' reason, and the agent, told its
 * race is gone, drops that job and races again at once.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RunningAgent } from "../../agent/start-agent.ts";
import { type ServeProcess, startServeProcess } from "../../scripts/start-serve-process.ts";
import { operatorApi } from "../helpers/operator-api.ts";
import { startTestAgent } from "../helpers/start-test-agent.ts";
import { isRaceOver, spectate } from "../helpers/watch-race.ts";

const keys = { operatorKey: "crash-test-operator-key-000000", agentToken: "crash-test-agent-token-0000000" };

describe("coordinator killed mid-race", () => {
  const dataDir = mkdtempSync(join(os.tmpdir(), "bench-crash-"));
  let server: ServeProcess | null = null;
  let agent: RunningAgent | null = null;
  afterEach(async () => {
    await agent?.close(0);
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const operator = operatorApi(
    () => server?.url ?? "",
    () => keys.operatorKey,
  );
  const startRun = (n: number) =>
    operator.startRun({ workload: "compute", agents: ["lab-1"], params: { n, threads: 1 } });
  /** resolves once the race's room says `done(state)` */
  const watch = (runId: string, done: (types: string[], finished: boolean) => boolean) =>
    spectate(server?.url ?? "", runId, (message) =>
      done(
        message.type === "race-delta"
          ? message.events.flatMap((e) => (e.event.type === "lane-event" ? [e.event.event.type] : []))
          : [],
        isRaceOver(message),
      ),
    );

  it("keeps finished runs, marks the cut one interrupted, and the agent races again at once", async () => {
    server = await startServeProcess({ ...keys, dataDir });
    agent = await startTestAgent({
      coordinatorUrl: server.url,
      token: keys.agentToken,
      name: "lab-1",
      stateDir: join(dataDir, "agent"),
    });

    const finished = await startRun(1_000_000);
    await watch(finished.id, (_, over) => over);
    const cut = await startRun(1e12);
    await watch(cut.id, (types) => types.includes("job-start"));

    const { port } = server;
    const died = new Promise((resolve) => server?.child.once("exit", resolve));
    server.child.kill("SIGKILL");
    await died;
    server = await startServeProcess({ ...keys, dataDir, port });

    expect(await operator.getRun(finished.id)).toMatchObject({ status: "done", lanes: [{ status: "done" }] });
    expect((await operator.getRun(finished.id)).lanes[0]?.results.map((r) => r.metrics.primes_found)).toEqual([78_498]);
    const interrupted = await operator.getRun(cut.id);
    expect(interrupted.status).toBe("interrupted");
    expect(interrupted.lanes[0]?.error?.code).toBe("coordinator_restarted");

    await vi.waitFor(
      async () =>
        expect(
          ((await (await operator.call("/api/agents")).json()) as { agents: { status: string }[] }).agents.map(
            (a: { status: string }) => a.status,
          ),
        ).toEqual(["online"]),
      { timeout: 20_000, interval: 100 },
    );
    const again = await startRun(1_000_000);
    await watch(again.id, (_, over) => over);
    expect((await operator.getRun(again.id)).lanes[0]).toMatchObject({ status: "done" });
  });
});
