/**
 * Boots cloud mode for integration tests: the API in this process (`serve --cloud`) on a fixed
 * loopback port, the rooms under real `partykit dev`, and real agents that know only the PartyKit
 * URL (the front door). Either side can be restarted on the same port and storage.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { type RunningAgent, startAgent } from "../../agent/start-agent.ts";
import { type CloudServer, startCloud } from "../../coordinator/cloud.ts";
import { type RunView, runViewSchema } from "../../coordinator/protocol/api.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import { parseServeConfig } from "../../coordinator/serve-config.ts";
import { freePort, type PartykitDev, startPartykitDev } from "./partykit-dev.ts";

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
    const agent = await startAgent(
      {
        coordinatorUrl: rooms.url,
        token: api.agentToken,
        name,
        stateDir: join(dir, "agents"),
        engines: {
          ollamaUrl: null,
          openaiUrl: null,
          ggufDir: null,
          llamacppThreads: 1,
          comfyuiUrl: null,
          comfyuiCheckpoints: null,
        },
      },
      silentLogger,
    );
    await agent.connection.welcomed;
    agents.push(agent);
  }
  /** an API call through the front door, as the dashboard and curl make it */
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${rooms.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${api.operatorKey}`, "content-type": "application/json", ...init.headers },
    });
  const getRun = async (id: string): Promise<RunView> =>
    runViewSchema.parse(((await (await call(`/api/runs/${id}`)).json()) as { run: unknown }).run);

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
    async startRun(body: Record<string, unknown>): Promise<RunView> {
      const response = await call("/api/runs", { method: "POST", body: JSON.stringify(body) });
      if (response.status !== 201)
        throw new Error(`POST /api/runs answered ${response.status}: ${await response.text()}`);
      return runViewSchema.parse(((await response.json()) as { run: unknown }).run);
    },
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
