/**
 * `bench-race service start|stop|status [coordinator|agent] [--dir DIR] [--json] [-- options]`:
 * runs the coordinator or an agent in the background with a PID file and a JSON-lines log file in
 * DIR (default ~/.bench-race/service). Exit codes: 0 running / done, 1 not running / failed, 2 bad
 * arguments. systemd and launchd run the foreground commands instead (ops/systemd, ops/launchd).
 */
import { spawn } from "node:child_process";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { parseArgs } from "node:util";

export const serviceTargets = ["coordinator", "agent"] as const;
export type ServiceTarget = (typeof serviceTargets)[number];
const actions = ["start", "stop", "status"] as const;

export interface ServiceOptions {
  /** the foreground command line of a target, with the options given after `--` */
  commandOf(target: ServiceTarget, args: string[]): { command: string; args: string[] };
  env: Record<string, string | undefined>;
  write(text: string): void;
  /** how long a started process must stay up to count as started; default 1.5 s */
  settleMs?: number;
  /** how long stop waits for a graceful exit before SIGKILL; default 10 s */
  stopTimeoutMs?: number;
}

export interface ServiceStatus {
  target: ServiceTarget;
  running: boolean;
  pid: number | null;
  pid_file: string;
  log_file: string;
}

export const serviceUsage = `Usage: bench-race service start|stop|status [coordinator|agent] [--dir DIR] [--json] [-- serve or agent options]
  start   runs it in the background (logs as JSON lines in DIR/<target>.log, PID in DIR/<target>.pid)
  stop    stops it (SIGTERM, then SIGKILL after 10 s)
  status  exit 0 when running, 1 when not; --json prints { target, running, pid, pid_file, log_file }`;

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

/** Runs one service command and returns the process exit code. */
export async function runService(argv: string[], options: ServiceOptions): Promise<number> {
  const split = argv.indexOf("--");
  const own = split === -1 ? argv : argv.slice(0, split);
  const passed = split === -1 ? [] : argv.slice(split + 1);
  let parsed: ReturnType<typeof parseOwn>;
  try {
    parsed = parseOwn(own);
  } catch (error) {
    options.write(`bench-race service: ${error instanceof Error ? error.message : String(error)}\n${serviceUsage}\n`);
    return 2;
  }
  const { action, target, json } = parsed;
  const dir = resolve(parsed.dir ?? options.env.BENCH_SERVICE_DIR ?? join(os.homedir(), ".bench-race", "service"));
  const pidFile = join(dir, `${target}.pid`);
  const logFile = join(dir, `${target}.log`);
  const readPid = (): number | null => {
    if (!existsSync(pidFile)) return null;
    const pid = Number(readFileSync(pidFile, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
  };
  const status = (): ServiceStatus => {
    const pid = readPid();
    return { target, running: pid !== null, pid, pid_file: pidFile, log_file: logFile };
  };
  const report = (s: ServiceStatus, note: string) =>
    options.write(
      json ? `${JSON.stringify(s)}\n` : `${target}: ${note}${s.pid ? ` (pid ${s.pid})` : ""}, log ${logFile}\n`,
    );

  if (action === "status") {
    const now = status();
    report(now, now.running ? "running" : "not running");
    return now.running ? 0 : 1;
  }
  if (action === "stop") {
    const pid = readPid();
    rmSync(pidFile, { force: true });
    if (pid === null) {
      report(status(), "not running");
      return 1;
    }
    process.kill(pid, "SIGTERM");
    const deadline = Date.now() + (options.stopTimeoutMs ?? 10_000);
    while (isAlive(pid) && Date.now() < deadline) await delay(100);
    if (isAlive(pid)) process.kill(pid, "SIGKILL");
    report(status(), "stopped");
    return 0;
  }
  if (readPid() !== null) {
    report(status(), "already running");
    return 0;
  }
  mkdirSync(dir, { recursive: true });
  const log = openSync(logFile, "a");
  const { command, args } = options.commandOf(target, passed);
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...options.env, BENCH_LOG_FORMAT: "json" },
  });
  closeSync(log);
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const failed = await Promise.race([exited, delay(options.settleMs ?? 1_500, "up" as const)]);
  if (failed !== "up" || child.pid === undefined) {
    options.write(`${target}: failed to start (exit ${failed}); its output is in ${logFile}\n`);
    return 1;
  }
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  report(status(), "started");
  return 0;
}

function parseOwn(argv: string[]) {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { dir: { type: "string" }, json: { type: "boolean" } },
    allowPositionals: true,
  });
  const [action, target = "coordinator", ...extra] = positionals;
  if (!actions.includes(action as (typeof actions)[number]))
    throw new Error(`the first argument must be start, stop or status (got ${action ?? "nothing"})`);
  if (!serviceTargets.includes(target as ServiceTarget))
    throw new Error(`the target must be coordinator or agent (got ${target})`);
  if (extra.length > 0) throw new Error(`unexpected ${extra.join(" ")}: put serve or agent options after --`);
  return {
    action: action as (typeof actions)[number],
    target: target as ServiceTarget,
    dir: values.dir,
    json: values.json ?? false,
  };
}
