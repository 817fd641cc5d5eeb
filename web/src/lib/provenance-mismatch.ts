// Lanes that did not race the same thing: an LLM model whose digest differs from the other
// machines' copy of that model, or a compute engine whose version differs from the others'. The
// results table marks them, since their numbers compare different builds.
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";

export interface ProvenanceMismatch {
  /** what differs, e.g. "model digest" */
  field: string;
  /** this lane's value */
  value: string;
  /** the value most other lanes had */
  usual: string;
}

const shortValue = (value: string): string => (value.startsWith("sha256:") ? value.slice(7, 19) : value.slice(0, 24));

/** Per lane id, what differs from the most common value among lanes racing the same model (or engine). */
export function findProvenanceMismatches(lanes: readonly LaneState[]): Map<string, ProvenanceMismatch> {
  const found = new Map<string, ProvenanceMismatch>();
  const check = (
    field: string,
    group: (lane: LaneState) => string | null,
    read: (lane: LaneState) => string | null,
  ) => {
    const groups = new Map<string, LaneState[]>();
    for (const lane of lanes) {
      const key = group(lane);
      if (key === null || read(lane) === null) continue;
      groups.set(key, [...(groups.get(key) ?? []), lane]);
    }
    for (const members of groups.values()) {
      const counts = new Map<string, number>();
      for (const lane of members) counts.set(read(lane) ?? "", (counts.get(read(lane) ?? "") ?? 0) + 1);
      if (counts.size < 2) continue;
      const usual = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? "";
      for (const lane of members) {
        const value = read(lane) ?? "";
        if (value !== usual && !found.has(lane.lane_id)) {
          found.set(lane.lane_id, { field, value: shortValue(value), usual: shortValue(usual) });
        }
      }
    }
  };
  check(
    "model digest",
    (lane) => (lane.backend === "compute" ? null : lane.model),
    (lane) => lane.provenance?.model_digest ?? null,
  );
  check(
    "engine version",
    (lane) => (lane.backend === "compute" ? (lane.provenance?.engine ?? "compute") : null),
    (lane) => lane.provenance?.engine_version ?? null,
  );
  return found;
}
