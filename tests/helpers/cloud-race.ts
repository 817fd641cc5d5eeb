/**
 * Boots cloud mode for integration tests: the API in this process (`serve --cloud`) on a fixed
 * loopback port, the rooms under real `partykit dev`, and real agents that know only the PartyKit
 * URL (the front door). Either side can be restarted on the same port and storage.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { RunningAgent } from "../../agent/start-agent.ts";
import { type CloudServer, startCloud } from "../../coordinator/cloud.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import { parseServeConfig } from "../../coordinator/serve-config.ts";
import { operatorApi } from "./operator-api.ts";
import { freePort, type PartykitDev, startPartykitDev } from "./partykit-dev.ts";
import { startTestAgent } from "./start-test-agent.ts";

const secret = () => randomBytes(24).toString("hex");

export async function startCloudRace(options: { agentNames: string[] }) {
  const dir = mkdtempSync(join(os.tmpdir(), "bench-race-cloud-"));
  const webDir = join(dir, "web");
  mkdirSync(webDir);
  writeFileSync(join(webDir, "index.html"), "<!doctype html><title>bench-race web app</title>");
  const sinkSecret = secret();
  const agentKeySecret = secret();
  const roomsPort = await freePort();
  const apiPort = await freePort();
  const startApi = () =>
    startCloud(
      parseServeConfig(
        { port: String(apiPort), host: "127.0.0.1", "data-dir": join(dir, "api"), cloud: true },
        {
          BENCH_ROOMS_URL: `http://127.0.0.1:${roomsPort}`,
          BENCH_SINK_SECRET: sinkSecret,
          BENCH_AGENT_KEY_SECRET: agentKeySecret,
        },
      ),
      silentLogger,
    );
  const startRooms = () =>
    startPartykitDev({
      port: roomsPort,
      serveDir: webDir,
      persistDir: join(dir, "rooms-state"),
      vars: {
        BENCH_API_URL: `http://127.0.0.1:${apiPort}`,
        BENCH_SINK_SECRET: sinkSecret,
        BENCH_AGENT_KEY_SECRET: agentKeySecret,
      },
    });
  let api: CloudServer = await startApi();
  let rooms: PartykitDev = await startRooms();
  const agents: RunningAgent[] = [];
  for (const name of options.agentNames) {
    agents.push(
      await startTestAgent({ coordinatorUrl: rooms.url, token: api.agentToken, name, stateDir: join(dir, "agents") }),
    );
  }
  /** API calls through the front door, as the dashboard and curl make them */
  const { call, startRun, getRun } = operatorApi(
    () => rooms.url,
    () => api.operatorKey,
  );
  return {
    /** the front door: web app, API and rooms */
    get url() {
      return rooms.url;
    },
    get api() {
      return api;
    },
    sinkSecret,
    agentKeySecret,
    agents,
    call,
    getRun,
    startRun,
    /** stops `partykit dev` and starts it again on the same port and storage: the rooms' memory is gone */
    async restartRooms() {
      await rooms.stop();
      rooms = await startRooms();
    },
    async stopApi() {
      await api.close();
    },
    async startApi() {
      api = await startApi();
    },
    async stop() {
      await Promise.all(agents.map((agent) => agent.close(0)));
      await rooms.stop();
      await api.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type CloudRace = Awaited<ReturnType<typeof startCloudRace>>;
