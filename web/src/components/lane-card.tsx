// One machine's lane in a race: who runs it on which engine and model, its status, the workload's
// own body (progress and result for compute, streamed text and speeds for llm), and the error that
// stopped it, if any; a lane waiting for its machine says so.

import { Show } from "solid-js";
import { Dynamic } from "solid-js/web";
import { workloadOfBackend } from "../../../coordinator/protocol/enums.ts";
import type { LaneLive } from "../../../coordinator/protocol/messages.ts";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { isMockLane } from "../lib/rank-lanes.ts";
import { workloadView } from "../workloads/registry.ts";
import { EnergyNote } from "./energy-note.tsx";
import { MachineSparklines } from "./machine-sparklines.tsx";
import { StatusBadge } from "./status-badge.tsx";

export function LaneCard(props: {
  lane: LaneState;
  repeats: number;
  warmup: number;
  live?: LaneLive | null;
  /** object URL of the lane's newest live image preview */
  preview?: string | null;
  /** the run the lane belongs to, where its images are served */
  runId?: string;
  /** the lane running on this lane's machine while this one waits (see laneAheadOnMachine) */
  waitingFor?: LaneState | null;
  /** the machine's runtime samples over the race */
  samples?: readonly MachineSample[];
}) {
  const view = () => workloadView(workloadOfBackend[props.lane.backend]);
  return (
    <article class="lane-card" data-testid="lane-card" data-agent-name={props.lane.agent_name}>
      <header class="lane-head">
        <div>
          <h3>{props.lane.agent_name}</h3>
          <p class="muted">
            {props.lane.backend}
            <Show when={props.lane.model}>{(model) => <> · {model()}</>}</Show>
            <Show when={isMockLane(props.lane)}>
              <span class="mock-tag" title="Results from the mock engine are not ranked">
                mock
              </span>
            </Show>
          </p>
        </div>
        <StatusBadge status={props.lane.status} testId="lane-status" />
      </header>

      <Show when={props.waitingFor}>
        {(ahead) => (
          <p class="muted lane-waiting" data-testid="lane-waiting">
            Waiting for its turn on this machine: {ahead().model ?? ahead().backend} is running there.
          </p>
        )}
      </Show>

      <Show when={view()}>
        {(shown) => (
          <Dynamic
            component={shown().LaneBody}
            lane={props.lane}
            live={props.live ?? null}
            preview={props.preview ?? null}
            runId={props.runId ?? null}
            repeats={props.repeats}
            warmup={props.warmup}
          />
        )}
      </Show>

      <EnergyNote lane={props.lane} />
      <MachineSparklines samples={props.samples ?? []} />

      <Show when={props.lane.error}>
        {(error) => (
          <p class="lane-error" data-testid="lane-error">
            {error().message}
          </p>
        )}
      </Show>
    </article>
  );
}
