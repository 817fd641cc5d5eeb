// A lane can sit pending because its machine is busy with another race (a machine runs one job at
// a time). For each machine with a lane waiting that way, this finds the other live race there,
// so the card can say "Waiting for race 3f2a9c1e (compute) on this machine".
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import type { ApiClient } from "./api-client.ts";
import { laneAheadOnMachine } from "./lane-waiting-turn.ts";

/** Machines (agent ids) whose pending lane waits on nothing inside this race. */
export function machinesWaitingElsewhere(lanes: readonly LaneState[]): string[] {
  const waiting = lanes.filter(
    (lane) =>
      lane.status === "pending" &&
      laneAheadOnMachine(lane, lanes) === null &&
      !lanes.some((other) => other.agent_id === lane.agent_id && other.status === "running"),
  );
  return [...new Set(waiting.map((lane) => lane.agent_id))].sort();
}

/**
 * Per agent id, the other live race on that machine in words; machines with none are left out.
 * Only a hint for the card: a failed lookup leaves the machine out rather than break the page.
 */
export async function findRacesElsewhere(
  client: Pick<ApiClient, "listRuns">,
  runId: string,
  agentIds: readonly string[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  for (const agentId of agentIds) {
    for (const status of ["running", "pending"] as const) {
      const runs = await client.listRuns({ status, agent: agentId, limit: 5 }).then(
        (list) => list.runs,
        () => [],
      );
      const other = runs.find((run) => run.id !== runId);
      if (other) {
        found.set(agentId, `race ${other.id.slice(0, 8)} (${other.workload})`);
        break;
      }
    }
  }
  return found;
}
