// The Runs page's filters as they live in the address bar (?workload=llm&agent=gpu-box): parsed
// from the search params, turned into the API query, and described in words for the empty state.
// Dates are whole days (YYYY-MM-DD, local time), both ends included.
import { type RunStatus, runStatuses, type Workload, workloads } from "../../../coordinator/protocol/enums.ts";

export interface RunFilters {
  workload?: Workload;
  status?: RunStatus;
  /** agent id or name */
  agent?: string;
  model?: string;
  /** first day, YYYY-MM-DD */
  since?: string;
  /** last day, YYYY-MM-DD, included */
  until?: string;
}

/** The search params the filters are kept in. */
export const runFilterKeys = ["workload", "status", "agent", "model", "since", "until"] as const;

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
  const since = dayOf(first(search.since));
  const until = dayOf(first(search.until));
  return {
    ...(workload ? { workload } : {}),
    ...(status ? { status } : {}),
    ...(agent ? { agent } : {}),
    ...(model ? { model } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** A YYYY-MM-DD that names a real day, else undefined. */
function dayOf(text: string | undefined): string | undefined {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  return Number.isNaN(localMidnight(text)) ? undefined : text;
}

/** Midnight of a YYYY-MM-DD day in local time, ms since the Unix epoch. */
const localMidnight = (day: string): number => new Date(`${day}T00:00:00`).getTime();

/** The API's since/until (ISO instants) for the filter's days: from the first day's start to the last day's end. */
export function runDateRange(filters: RunFilters): { since?: string; until?: string } {
  const range: { since?: string; until?: string } = {};
  if (filters.since) range.since = new Date(localMidnight(filters.since)).toISOString();
  if (filters.until) {
    const next = new Date(localMidnight(filters.until));
    next.setDate(next.getDate() + 1);
    range.until = next.toISOString();
  }
  return range;
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
  if (filters.since && filters.until) words.push("from", filters.since, "to", filters.until);
  else if (filters.since) words.push("since", filters.since);
  else if (filters.until) words.push("until", filters.until);
  return `${words.join(" ")}.`;
}
