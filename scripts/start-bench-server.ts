/**
 * Local mode in a child process on a free port with a temporary data dir and fixed keys, for the
 * benchmarks: they measure the coordinator as users run it, in its own process.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";

export interface BenchServer {
  url: string;
  child: ChildProcess;
  /** stops the server and removes its data dir */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

export async function startBenchServer(keys: { operatorKey: string; agentToken: string }): Promise<BenchServer> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(os.tmpdir(), "bench-server-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "cli.ts", "serve", "--port", String(port), "--no-agent", "--data-dir", dataDir],
    {
      env: { ...process.env, BENCH_OPERATOR_KEY: keys.operatorKey, BENCH_AGENT_TOKEN: keys.agentToken },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 200; attempt++) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, child, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error("local mode did not start within 20 s");
}
