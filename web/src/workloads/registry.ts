// What the pages need to know about each workload, in one place: the lane card's body, the
// summary table's result columns, the metrics a race can be ranked by, how its parameters read,
// and its section of the new-race form. Pages look a workload up here instead of branching on it.
import type { Component } from "solid-js";
import type { AgentView, CreateRun } from "../../../coordinator/protocol/api.ts";
import type { Workload } from "../../../coordinator/protocol/enums.ts";
import type { LabSettings } from "../../../coordinator/protocol/lab-settings.ts";
import type { LaneLive } from "../../../coordinator/protocol/messages.ts";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import type { RankingMetric } from "../lib/rank-lanes.ts";
import { computeView } from "./compute.tsx";
import { imageView } from "./image.tsx";
import { llmView } from "./llm.tsx";

export interface LaneBodyProps {
  lane: LaneState;
  /** the volatile figures of the pass under way; null when there are none */
  live: LaneLive | null;
  repeats: number;
  warmup: number;
  /** the run the lane belongs to (its images are served under it); null when not known */
  runId: string | null;
  /** object URL of the lane's newest live image preview; null when there is none */
  preview: string | null;
  /** how far the lane's clock lags the browser's (a replay or a ghost), in milliseconds */
  clockShiftMs: number;
}

/** One column of the summary table beyond place, machine, status and the ranking metric. */
export interface SummaryColumn {
  label: string;
  /** the cell's text; "—" when the lane has no value */
  value(lane: LaneState): string;
}

/** What a form section builds when the race button is pressed: the POST /api/runs body, or what to fix. */
export type RunRequest = { ok: true; body: CreateRun } | { ok: false; error: string };

export interface FormSectionProps {
  /** every known machine, offline ones included */
  agents: readonly AgentView[];
  /** the lab's defaults the section's repeats and warm-up start from */
  defaults: Pick<LabSettings, "repeats" | "warmup">;
  /** the section hands the page the function that builds its request */
  bind(build: () => RunRequest): void;
  /** fetch the machines again now (after a model pull) */
  refreshAgents?(): void;
}

export interface WorkloadView {
  /** the workload's name in the form's choice */
  label: string;
  LaneBody: Component<LaneBodyProps>;
  summaryColumns: readonly SummaryColumn[];
  /** the metrics a race of these params can be ranked by; the first is the default */
  rankingMetrics(params: Record<string, unknown>): readonly RankingMetric[];
  /** a one-line description of the run's parameters for headings and lists */
  describeParams(params: Record<string, unknown>): string;
  FormSection: Component<FormSectionProps>;
}

/** The workloads the pages can show. */
const workloadViews: Partial<Record<Workload, WorkloadView>> = { compute: computeView, llm: llmView, image: imageView };

export const workloadView = (workload: Workload): WorkloadView | undefined => workloadViews[workload];

/** The run's parameters in words; empty for a workload the pages cannot show yet. */
export const describeRunParams = (workload: Workload, params: Record<string, unknown>): string =>
  workloadView(workload)?.describeParams(params) ?? "";
