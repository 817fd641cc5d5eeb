// One machine's lane in a race: who runs it on which engine and model, its status, the workload's
// own body (progress and result for compute, streamed text and speeds for llm), and the error that
// stopped it, if any; a lane waiting for its machine says so. Once placed it shows its place with
// a finish flag, and it says how its start went: the measured skew against the common start
// instant, the lane it ran after on the same machine, a late start.

import { For, Show } from "solid-js";
import { Dynamic } from "solid-js/web";
import { workloadOfBackend } from "../../../coordinator/protocol/enums.ts";
import type { LaneLive } from "../../../coordinator/protocol/messages.ts";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { describeLaneStart } from "../lib/describe-lane-start.ts";
import { ordinal } from "../lib/format.ts";
import { isMockLane } from "../lib/rank-lanes.ts";
import { workloadView } from "../workloads/registry.ts";
import { ElapsedClock } from "./elapsed-clock.tsx";
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
  /** the race's other lanes (for "ran after") */
  lanes?: readonly LaneState[];
  /** 1, 2, ... once the lane is placed */
  place?: number | null;
  /** what the lane's machine is busy with outside this race, e.g. "race 3f2a… (llm)" */
  busyWith?: string | null;
  /** a lane of a ghost race replayed beside the live one */
  ghost?: boolean;
  /** for a ghost lane: how far its race's clock lags this one's, in milliseconds */
  clockShiftMs?: number;
  /** the machine's runtime samples over the race */
  samples?: readonly MachineSample[];
}) {
  const view = () => workloadView(workloadOfBackend[props.lane.backend]);
  const startLines = () => describeLaneStart(props.lane, props.lanes ?? []);
  return (
    <article
      class="lane-card"
      classList={{ ghost: props.ghost === true }}
      data-testid={props.ghost ? "ghost-lane" : "lane-card"}
      data-agent-name={props.lane.agent_name}
    >
      <header class="lane-head">
        <div>
          <h3>{props.lane.agent_name}</h3>
          <p class="muted">
            {props.lane.backend}
            <Show when={props.lane.model}>{(model) => <> · {model()}</>}</Show>
            <Show when={props.lane.provenance}>
              {(provenance) => (
                <>
                  <span class="engine-tag" data-testid="engine-badge">
                    {provenance().engine}
                    {provenance().engine_version ? ` ${provenance().engine_version}` : ""}
                  </span>
                  <Show when={provenance().remote_engine}>
                    <span
                      class="engine-tag remote"
                      data-testid="remote-badge"
                      title={`The engine runs on ${provenance().engine_host ?? "another host"}, not on this machine`}
                    >
                      remote
                    </span>
                  </Show>
                </>
              )}
            </Show>
            <Show when={isMockLane(props.lane)}>
              <span class="mock-tag" title="Results from the mock engine are not ranked">
                mock
              </span>
            </Show>
          </p>
        </div>
        <div class="lane-badges">
          <ElapsedClock lane={props.lane} shiftMs={props.clockShiftMs} />
          <Show when={props.place}>
            {(place) => (
              <span class="place-badge" data-testid="lane-place" classList={{ winner: place() === 1 }}>
                {ordinal(place())}
              </span>
            )}
          </Show>
          <StatusBadge status={props.lane.status} testId="lane-status" />
        </div>
      </header>

      <Show when={startLines().length > 0}>
        <p class="muted lane-start" data-testid="lane-start">
          <For each={startLines()}>
            {(line, i) => (
              <>
                {i() > 0 ? " · " : ""}
                {line}
              </>
            )}
          </For>
        </p>
      </Show>

      <Show when={!props.waitingFor && props.lane.status === "pending" && props.busyWith}>
        {(busy) => (
          <p class="muted lane-waiting" data-testid="lane-waiting">
            Waiting for {busy()} on this machine.
          </p>
        )}
      </Show>

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
            clockShiftMs={props.clockShiftMs ?? 0}
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
