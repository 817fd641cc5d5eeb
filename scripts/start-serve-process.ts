/**
 * Local mode (`bench-race serve`) in a child process with fixed keys and no embedded agent, for the
 * benchmarks and for tests that kill it: they measure and break the coordinator as users run it,
 * in its own process. A given data dir is kept; a temporary one is removed by `stop`.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";

export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** a call to its API as the operator; throws with the status and body unless it answers 2xx */
  api(path: string, init?: RequestInit): Promise<unknown>;
  /** stops the server (SIGTERM, waits for its exit) and removes a temporary data dir */
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

export async function startServeProcess(options: {
  operatorKey: string;
  agentToken: string;
  dataDir?: string;
  port?: number;
}): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(os.tmpdir(), "bench-serve-"));
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "cli.ts", "serve", "--port", String(port), "--no-agent", "--data-dir", dataDir],
    {
      env: { ...process.env, BENCH_OPERATOR_KEY: options.operatorKey, BENCH_AGENT_TOKEN: options.agentToken },
      stdio: ["ignore", "ignore", "inherit"],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const api = async (path: string, init: RequestInit = {}) => {
    const response = await fetch(`${url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${options.operatorKey}`, "content-type": "application/json" },
    });
    if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) break;
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, port, child, api, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error("local mode did not start within 30 s");
}
