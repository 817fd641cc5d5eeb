/**
 * Boots local mode on 127.0.0.1 port 0 with a temporary data dir, plus real agents that dial in
 * over WebSocket, for integration and browser tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { WebSocket } from "ws";
import type { AgentConfig } from "../../agent/agent-config.ts";
import { type RunningAgent, startAgent } from "../../agent/start-agent.ts";
import { startLocal } from "../../coordinator/local.ts";
import { type AgentView, agentViewSchema, type RunView, runViewSchema } from "../../coordinator/protocol/api.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import { raceToViewerSchema } from "../../coordinator/protocol/messages.ts";
import { parseServeConfig } from "../../coordinator/serve-config.ts";

/** `dataDir`: a data dir made beforehand (e.g. holding runs a restart finds unfinished); removed at stop. */
export async function startLocalRace(options: {
  agentNames: string[];
  webDir?: string;
  /** serve's environment (BENCH_AGENT_LOST_S, ...) */
  env?: Record<string, string>;
  dataDir?: string;
}) {
  const dataDir = options.dataDir ?? mkdtempSync(join(os.tmpdir(), "bench-race-test-"));
  const config = { ...parseServeConfig({ port: "0", "data-dir": dataDir, "no-agent": true }, options.env ?? {}) };
  const server = await startLocal(options.webDir ? { ...config, webDir: options.webDir } : config, silentLogger);
  const agents: RunningAgent[] = [];
  /**
   * starts an agent that dials in, as `npm run agent` would; the same name is the same agent.
   * `via`: the URL it dials instead of the server's (a fault proxy); `machine`: another machine's
   * state dir, for a second agent with the same name
   */
  const addAgent = async (
    name: string,
    engines: Partial<AgentConfig["engines"]> = {},
    { via = server.url, machine = "" }: { via?: string; machine?: string } = {},
  ): Promise<RunningAgent> => {
    const agent = await startAgent(
      {
        coordinatorUrl: via,
        token: server.agentToken,
        name,
        stateDir: join(dataDir, "agents", machine),
        // one llama.cpp thread: on a busy 2-core machine more threads wait on each other for seconds
        engines: {
          ollamaUrl: null,
          openaiUrl: null,
          ggufDir: null,
          llamacppThreads: 1,
          comfyuiUrl: null,
          comfyuiCheckpoints: null,
          ...engines,
        },
      },
      silentLogger,
    );
    await agent.connection.welcomed;
    agents.push(agent);
    return agent;
  };
  for (const name of options.agentNames) await addAgent(name);
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${server.operatorKey}`, "content-type": "application/json", ...init.headers },
    });

  return {
    server,
    agents,
    /** where the test's agents keep their enrolled keys */
    agentStateDir: join(dataDir, "agents"),
    addAgent,
    api,
    /** starts a race through the API and returns the created run; throws unless the API answers 201 */
    async startRun(body: Record<string, unknown>): Promise<RunView> {
      const response = await api("/api/runs", { method: "POST", body: JSON.stringify(body) });
      if (response.status !== 201)
        throw new Error(`POST /api/runs answered ${response.status}: ${await response.text()}`);
      return runViewSchema.parse(((await response.json()) as { run: unknown }).run);
    },
    /** the run as the API shows it now */
    async getRun(runId: string): Promise<RunView> {
      return runViewSchema.parse(((await (await api(`/api/runs/${runId}`)).json()) as { run: unknown }).run);
    },
    /** the agents as the API lists them */
    async listAgents(): Promise<AgentView[]> {
      const body = (await (await api("/api/agents")).json()) as { agents: unknown[] };
      return body.agents.map((a) => agentViewSchema.parse(a));
    },
    /** resolves when the race room reports the run finished, and its events are stored */
    async raceFinished(runId: string): Promise<void> {
      const ws = new WebSocket(`${server.url.replace("http", "ws")}/parties/race/${runId}`);
      await new Promise<void>((resolve, reject) => {
        ws.on("error", reject);
        ws.on("message", (data, isBinary) => {
          if (isBinary) return;
          const message = raceToViewerSchema.parse(JSON.parse(String(data)));
          const done =
            (message.type === "race-snapshot" && message.state.finished_at !== null) ||
            (message.type === "race-delta" && message.events.some((e) => e.event.type === "race-finish"));
          if (done) resolve();
        });
      });
      ws.close();
      await server.host.room("race", runId)?.flushed();
    },
    async stop() {
      await Promise.all(agents.map((agent) => agent.close(0)));
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
