/**
 * An agent (`bench-race agent`) in a child process with its own state dir, as a user starts one on
 * another machine: for benchmarks that measure separate clocks and tests that kill an agent.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

export function startAgentProcess(options: {
  coordinatorUrl: string;
  agentToken: string;
  name: string;
  /** the folder that holds one state dir per agent name */
  stateDir: string;
}): ChildProcess {
  const { coordinatorUrl, agentToken, name, stateDir } = options;
  return spawn(
    process.execPath,
    ["--import", "tsx", "cli.ts", "agent", "--coordinator", coordinatorUrl, "--token", agentToken, "--name", name],
    { env: { ...process.env, BENCH_AGENT_STATE_DIR: join(stateDir, name) }, stdio: ["ignore", "ignore", "inherit"] },
  );
}
