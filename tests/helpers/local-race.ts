/**
 * Boots local mode on 127.0.0.1 port 0 with a temporary data dir, plus real agents that dial in
 * over WebSocket, for integration and browser tests.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { AgentConfig } from "../../agent/agent-config.ts";
import type { RunningAgent } from "../../agent/start-agent.ts";
import { startLocal } from "../../coordinator/local.ts";
import { type AgentView, agentViewSchema } from "../../coordinator/protocol/api.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import { parseServeConfig } from "../../coordinator/serve-config.ts";
import { operatorApi } from "./operator-api.ts";
import { startTestAgent } from "./start-test-agent.ts";
import { isRaceOver, spectate } from "./watch-race.ts";

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
    const agent = await startTestAgent({
      coordinatorUrl: via,
      token: server.agentToken,
      name,
      stateDir: join(dataDir, "agents", machine),
      engines,
    });
    agents.push(agent);
    return agent;
  };
  for (const name of options.agentNames) await addAgent(name);
  const {
    call: api,
    startRun,
    getRun,
  } = operatorApi(
    () => server.url,
    () => server.operatorKey,
  );
  return {
    server,
    agents,
    /** where the test's agents keep their enrolled keys */
    agentStateDir: join(dataDir, "agents"),
    addAgent,
    api,
    startRun,
    getRun,
    /** the agents as the API lists them */
    async listAgents(): Promise<AgentView[]> {
      const body = (await (await api("/api/agents")).json()) as { agents: unknown[] };
      return body.agents.map((a) => agentViewSchema.parse(a));
    },
    /** resolves when the race room reports the run finished, and its events are stored */
    async raceFinished(runId: string): Promise<void> {
      await spectate(server.url, runId, isRaceOver);
      await server.host.room("race", runId)?.flushed();
    },
    async stop() {
      await Promise.all(agents.map((agent) => agent.close(0)));
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type LocalRace = Awaited<ReturnType<typeof startLocalRace>>;
