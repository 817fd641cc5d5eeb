/**
 * Starts a real agent that dials a coordinator, as `npm run agent` would, with no engines unless
 * `engines` names some, and resolves once the coordinator has welcomed it.
 */
import type { AgentConfig } from "../../agent/agent-config.ts";
import { type RunningAgent, startAgent } from "../../agent/start-agent.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";

export async function startTestAgent(
  config: Omit<AgentConfig, "engines"> & { engines?: Partial<AgentConfig["engines"]> },
): Promise<RunningAgent> {
  const agent = await startAgent(
    {
      ...config,
      // one llama.cpp thread: on a busy 2-core machine more threads wait on each other for seconds
      engines: {
        ollamaUrl: null,
        openaiUrl: null,
        ggufDir: null,
        llamacppThreads: 1,
        comfyuiUrl: null,
        comfyuiCheckpoints: null,
        ...config.engines,
      },
    },
    silentLogger,
  );
  await agent.connection.welcomed;
  return agent;
}
