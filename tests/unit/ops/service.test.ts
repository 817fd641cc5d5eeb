import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runService, type ServiceOptions } from "../../../ops/service.ts";

describe("bench-race service", () => {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-race-service-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const output: string[] = [];
  /** a stand-in for serve that logs one line and stays up; `exit` makes it fail at once */
  const options = (script: string, settleMs = 300): ServiceOptions => ({
    commandOf: (_target, args) => ({ command: process.execPath, args: ["-e", script, ...args] }),
    env: { ...process.env, BENCH_SERVICE_DIR: dir },
    write: (text) => output.push(text),
    settleMs,
    stopTimeoutMs: 5_000,
  });
  /** the service's log once it holds `text` (the child writes it when it gets to it) */
  const logWith = async (file: string, text: string) => {
    for (;;) {
      const log = readFileSync(file, "utf8");
      if (log.includes(text)) return log;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const longRunning = options(
    "console.log(JSON.stringify({ level: 'info', format: process.env.BENCH_LOG_FORMAT })); setInterval(() => {}, 1000)",
  );
  const status = async () => {
    output.length = 0;
    const code = await runService(["status", "coordinator", "--json"], longRunning);
    return { code, status: JSON.parse(output.join("")) as { running: boolean; pid: number | null } };
  };

  it("starts, reports running with its PID, and stops, with 0/1 exit codes", async () => {
    expect((await status()).code).toBe(1);
    expect(await runService(["start", "coordinator"], longRunning)).toBe(0);
    const running = await status();
    expect(running.code).toBe(0);
    expect(running.status.running).toBe(true);
    expect(Number(readFileSync(join(dir, "coordinator.pid"), "utf8"))).toBe(running.status.pid);
    expect(await logWith(join(dir, "coordinator.log"), "format")).toContain('"format":"json"');
    // a second start finds it running
    expect(await runService(["start", "coordinator"], longRunning)).toBe(0);
    expect(await runService(["stop", "coordinator"], longRunning)).toBe(0);
    expect((await status()).status).toMatchObject({ running: false, pid: null });
    expect(await runService(["stop", "coordinator"], longRunning)).toBe(1);
  });

  it("fails a start whose process exits at once, and says where its output is", async () => {
    output.length = 0;
    // a settle time far longer than a busy machine needs to start node and exit
    expect(await runService(["start", "agent"], options("process.exit(3)", 20_000))).toBe(1);
    expect(output.join("")).toContain(`failed to start (exit 3); its output is in ${join(dir, "agent.log")}`);
  });

  it("answers bad arguments with exit 2 and the usage", async () => {
    output.length = 0;
    expect(await runService(["restart"], longRunning)).toBe(2);
    expect(await runService(["status", "database"], longRunning)).toBe(2);
    expect(output.join("")).toContain("the target must be coordinator or agent (got database)");
  });
});
