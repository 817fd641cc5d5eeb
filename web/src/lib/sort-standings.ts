// The standings sorted by a column the viewer clicks: place (the default), machine, or the
// ranking metric's median, min, max or stdev. Rows without a value always go last.
import type { RankedLane } from "./rank-lanes.ts";

export const standingsSortKeys = ["place", "machine", "median", "min", "max", "stdev"] as const;
export type StandingsSortKey = (typeof standingsSortKeys)[number];

export interface StandingsSort {
  key: StandingsSortKey;
  descending: boolean;
}

const sortValue = (row: RankedLane, key: StandingsSortKey): number | string | null => {
  switch (key) {
    case "place":
      return row.place;
    case "machine":
      return row.lane.agent_name;
    default:
      return row.measure?.[key] ?? null;
  }
};

/** A sorted copy; ties keep their standings order. */
export function sortStandings(rows: readonly RankedLane[], sort: StandingsSort): RankedLane[] {
  return rows
    .map((row, order) => ({ row, order, value: sortValue(row, sort.key) }))
    .sort((a, b) => {
      if (a.value === null || b.value === null)
        return (a.value === null ? 1 : 0) - (b.value === null ? 1 : 0) || a.order - b.order;
      const compared =
        typeof a.value === "string" || typeof b.value === "string"
          ? String(a.value).localeCompare(String(b.value))
          : a.value - b.value;
      return (sort.descending ? -compared : compared) || a.order - b.order;
    })
    .map(({ row }) => row);
}

/** Clicking the sorted column flips it; another column sorts ascending. */
export const nextSort = (current: StandingsSort, key: StandingsSortKey): StandingsSort =>
  current.key === key ? { key, descending: !current.descending } : { key, descending: false };
