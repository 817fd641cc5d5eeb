/**
 * `bench-race doctor`: checks what a coordinator or agent needs on this machine (Node version,
 * data dir, port, database driver, web build, engines, a coordinator to dial) and says what to fix.
 * Exit 0 when nothing failed (warnings allowed), 1 when something did, 2 on bad arguments.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { healthSchema } from "../coordinator/protocol/api.ts";

export interface DoctorCheck {
  name: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  /** what to do about a warning or failure */
  fix?: string;
}

export interface DoctorOptions {
  nodeVersion: string;
  /** package.json engines.node, e.g. ">=20.19" */
  requiredNode: string;
  dataDir: string;
  host: string;
  port: number;
  /** the built web app's index.html */
  webIndex: string;
  webIndexExists: boolean;
  ollamaUrl: string;
  openaiUrl: string;
  /** checked when given: the coordinator an agent here would dial */
  coordinatorUrl?: string;
  /** checked when given (serve --cloud): the rooms answer and take this sink secret */
  rooms?: { url: string; sinkSecret: string };
  /** loads the database driver (a native module that must match this Node) */
  loadDatabaseDriver(): Promise<void>;
  fetch: typeof fetch;
}

const versionParts = (version: string) =>
  version
    .replace(/^[^\d]*/, "")
    .split(".")
    .map(Number);

function atLeast(version: string, minimum: string): boolean {
  const have = versionParts(version);
  const need = versionParts(minimum);
  for (let i = 0; i < need.length; i++) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

const messageOf = (error: unknown): string =>
  error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);

export async function runDoctor(options: DoctorOptions): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const minimum = options.requiredNode.replace(/^>=\s*/, "");
  checks.push(
    atLeast(options.nodeVersion, minimum)
      ? { name: "node", status: "ok", detail: `Node ${options.nodeVersion} (needs ${options.requiredNode})` }
      : {
          name: "node",
          status: "fail",
          detail: `Node ${options.nodeVersion} is older than ${options.requiredNode}`,
          fix: `install Node ${minimum} or newer (nvm install 20)`,
        },
  );
  checks.push(checkDataDir(options.dataDir));
  checks.push(
    await options.loadDatabaseDriver().then(
      (): DoctorCheck => ({ name: "database", status: "ok", detail: "the SQLite driver loads" }),
      (error): DoctorCheck => ({
        name: "database",
        status: "fail",
        detail: `the SQLite driver does not load (${messageOf(error)})`,
        fix: "run `npm rebuild better-sqlite3` with this Node, or `npm ci` again",
      }),
    ),
  );
  checks.push(await checkPort(options));
  checks.push(
    options.webIndexExists
      ? { name: "web app", status: "ok", detail: `built (${options.webIndex})` }
      : {
          name: "web app",
          status: "warn",
          detail: `not built (${options.webIndex} is missing)`,
          fix: "run `npm run build:web` (npm start does it by itself)",
        },
  );
  checks.push(
    await checkEngine(
      options,
      "ollama",
      `${options.ollamaUrl}/api/version`,
      "start it with `ollama serve` or pass --ollama-url",
    ),
  );
  checks.push(
    await checkEngine(
      options,
      "openai-compatible",
      `${options.openaiUrl}/v1/models`,
      "start llama-server, vLLM or LM Studio, or pass --openai-url",
    ),
  );
  if (options.coordinatorUrl) checks.push(await checkCoordinator(options, options.coordinatorUrl));
  if (options.rooms) checks.push(await checkRooms(options, options.rooms));
  return checks;
}

function checkDataDir(dataDir: string): DoctorCheck {
  const probe = join(dataDir, `.doctor-${process.pid}`);
  try {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(probe, "ok");
    rmSync(probe);
    return { name: "data dir", status: "ok", detail: `${dataDir} is writable` };
  } catch (error) {
    return {
      name: "data dir",
      status: "fail",
      detail: `${dataDir} is not writable (${messageOf(error)})`,
      fix: "pass --data-dir (BENCH_DATA_DIR) with a folder this user can write",
    };
  }
}

async function checkPort(options: DoctorOptions): Promise<DoctorCheck> {
  const where = `${options.host}:${options.port}`;
  const free = await new Promise<Error | null>((done) => {
    const server = createServer();
    server.once("error", (error) => done(error));
    server.listen(options.port, options.host, () => server.close(() => done(null)));
  });
  if (!free) return { name: "port", status: "ok", detail: `${where} is free` };
  const health = await options
    .fetch(`http://${where}/api/health`, { signal: AbortSignal.timeout(3_000) })
    .then(async (response) => healthSchema.safeParse(await response.json()).success)
    .catch(() => false);
  return health
    ? {
        name: "port",
        status: "warn",
        detail: `a bench-race coordinator already answers on ${where}`,
        fix: "stop it first, or pass --port",
      }
    : {
        name: "port",
        status: "fail",
        detail: `${where} cannot be used (${messageOf(free)})`,
        fix: "pass --port (PORT) with a free port, or stop what holds it",
      };
}

async function checkEngine(options: DoctorOptions, name: string, url: string, fix: string): Promise<DoctorCheck> {
  try {
    const response = await options.fetch(url, { signal: AbortSignal.timeout(3_000) });
    if (response.ok) return { name, status: "ok", detail: `answers at ${new URL(url).origin}` };
    return { name, status: "warn", detail: `${new URL(url).origin} answered ${response.status}`, fix };
  } catch (error) {
    return {
      name,
      status: "warn",
      detail: `not reachable at ${new URL(url).origin} (${messageOf(error)}); agents here race compute only`,
      fix,
    };
  }
}

async function checkCoordinator(options: DoctorOptions, url: string): Promise<DoctorCheck> {
  try {
    const response = await options.fetch(new URL("/api/health", url), { signal: AbortSignal.timeout(5_000) });
    const health = healthSchema.safeParse(await response.json().catch(() => null));
    if (health.success)
      return {
        name: "coordinator",
        status: "ok",
        detail: `${url} is bench-race ${health.data.version} (${health.data.mode} mode)`,
      };
    return {
      name: "coordinator",
      status: "fail",
      detail: `${url} answered ${response.status} to /api/health without bench-race's health`,
      fix: "use the URL `bench-race serve` prints, or the PartyKit front door in cloud mode",
    };
  } catch (error) {
    return {
      name: "coordinator",
      status: "fail",
      detail: `${url} is not reachable (${messageOf(error)})`,
      fix: "check the URL and that the coordinator runs (bench-race service status coordinator)",
    };
  }
}

/**
 * Sends the rooms a control message no room accepts: a room that knows the secret answers 400
 * (refused as malformed), one that does not answers 401, and no answer means no rooms there.
 */
async function checkRooms(options: DoctorOptions, rooms: { url: string; sinkSecret: string }): Promise<DoctorCheck> {
  try {
    const response = await options.fetch(new URL("/parties/race/doctor-check", rooms.url), {
      method: "POST",
      headers: { authorization: `Bearer ${rooms.sinkSecret}`, "content-type": "application/json" },
      body: JSON.stringify({ type: "doctor-check" }),
      signal: AbortSignal.timeout(5_000),
    });
    if (response.status === 400)
      return { name: "rooms", status: "ok", detail: `${rooms.url} answers and takes the sink secret` };
    if (response.status === 401)
      return {
        name: "rooms",
        status: "fail",
        detail: `${rooms.url} refused the sink secret`,
        fix: "give the rooms and the API the same BENCH_SINK_SECRET (partykit env add BENCH_SINK_SECRET, then deploy)",
      };
    return {
      name: "rooms",
      status: "fail",
      detail: `${rooms.url} answered ${response.status} to a room control message`,
      fix: "set BENCH_ROOMS_URL to the PartyKit URL of the deployed rooms",
    };
  } catch (error) {
    return {
      name: "rooms",
      status: "fail",
      detail: `${rooms.url} is not reachable (${messageOf(error)})`,
      fix: "deploy the rooms (npm run partykit:deploy) or check BENCH_ROOMS_URL",
    };
  }
}

/** One line a check: `ok   name: detail`, with `-> fix` under warnings and failures. */
export function toDoctorReport(checks: DoctorCheck[]): string {
  const lines = checks.flatMap((check) => [
    `${check.status.padEnd(4)} ${check.name}: ${check.detail}`,
    ...(check.fix && check.status !== "ok" ? [`     -> ${check.fix}`] : []),
  ]);
  const failed = checks.filter((check) => check.status === "fail").length;
  lines.push(failed === 0 ? "Nothing to fix." : `${failed} thing${failed === 1 ? "" : "s"} to fix.`);
  return `${lines.join("\n")}\n`;
}
