// The Runs page's filters as they live in the address bar (?workload=llm&agent=gpu-box): parsed
// from the search params, turned into the API query, and described in words for the empty state.
import { type RunStatus, runStatuses, type Workload, workloads } from "../../../coordinator/protocol/enums.ts";

export interface RunFilters {
  workload?: Workload;
  status?: RunStatus;
  /** agent id or name */
  agent?: string;
  model?: string;
}

/** The search params the filters are kept in. */
export const runFilterKeys = ["workload", "status", "agent", "model"] as const;

type SearchValue = string | string[] | undefined;

const first = (value: SearchValue): string | undefined => {
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  return text ? text : undefined;
};

/** Reads the filters from search params; values that name no workload or status are dropped. */
export function parseRunFilters(search: Partial<Record<(typeof runFilterKeys)[number], SearchValue>>): RunFilters {
  const workload = workloads.find((name) => name === first(search.workload));
  const status = runStatuses.find((name) => name === first(search.status));
  const agent = first(search.agent);
  const model = first(search.model);
  return {
    ...(workload ? { workload } : {}),
    ...(status ? { status } : {}),
    ...(agent ? { agent } : {}),
    ...(model ? { model } : {}),
  };
}

/** Whether any filter is set. */
export const hasRunFilters = (filters: RunFilters): boolean => Object.keys(filters).length > 0;

/** The same filters always give the same key, so a reply to an older filter can be told apart. */
export const runFiltersKey = (filters: RunFilters): string =>
  runFilterKeys.map((key) => `${key}=${filters[key] ?? ""}`).join("&");

/** "No failed llm runs on gpu-box with llama3." or, with no filters, "No races yet." */
export function describeNoRuns(filters: RunFilters): string {
  if (!hasRunFilters(filters)) return "No races yet.";
  const kinds = [filters.status, filters.workload].filter(Boolean).join(" ");
  const words = ["No", ...(kinds ? [kinds] : []), "runs"];
  if (filters.agent) words.push("on", filters.agent);
  if (filters.model) words.push("with", filters.model);
  return `${words.join(" ")}.`;
}
