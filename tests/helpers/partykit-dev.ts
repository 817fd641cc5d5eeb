/**
 * Runs the rooms under real `partykit dev` (offline: --disable-request-cf-fetch) on a free
 * loopback port, in its own process group, so that stopping it also ends its esbuild and workerd
 * children. Room storage persists in `persistDir`, so a restart on the same dir is an eviction.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { resolve } from "node:path";

export interface PartykitDevOptions {
  /** the rooms' environment (BENCH_API_URL, BENCH_SINK_SECRET, BENCH_AGENT_KEY_SECRET) */
  vars: Record<string, string>;
  /** the folder served as the web app (a test needs no vite build) */
  serveDir: string;
  /** where Durable Object storage lives between restarts */
  persistDir: string;
  /** the port; default a free one */
  port?: number;
}

export interface PartykitDev {
  url: string;
  port: number;
  /** ends the whole process group and waits for it */
  stop(): Promise<void>;
}

const root = resolve(import.meta.dirname, "../..");

/** A port nothing listens on now (the kernel's pick for port 0, released at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export async function startPartykitDev(options: PartykitDevOptions): Promise<PartykitDev> {
  const port = options.port ?? (await freePort());
  const args = [
    "dev",
    "--disable-request-cf-fetch",
    "--no-hotkeys",
    "--port",
    String(port),
    "--serve",
    options.serveDir,
    "--persist",
    options.persistDir,
    ...Object.entries(options.vars).flatMap(([name, value]) => ["--var", `${name}=${value}`]),
  ];
  const child = spawn(resolve(root, "node_modules/.bin/partykit"), args, {
    cwd: root,
    detached: true,
    env: { ...process.env, NO_UPDATE_NOTIFIER: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  await ready(child, port);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async stop() {
      if (child.exitCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // the group is already gone
        }
      }
      await exited;
    },
  };
}

/** Resolves on partykit's "Ready on" line; rejects with its output when it exits first. */
function ready(child: ChildProcess, port: number): Promise<void> {
  let output = "";
  return new Promise<void>((done, fail) => {
    const onData = (data: Buffer) => {
      // kept short: partykit keeps printing the rooms' logs, which are read (never left to block the pipe) and dropped
      output = (output + data.toString()).slice(-20_000);
      if (output.includes("Ready on")) done();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) =>
      fail(new Error(`partykit dev on port ${port} exited (${code}) before it was ready:\n${output}`)),
    );
  });
}
