import { describe, expect, it } from "vitest";
import { describeNoRuns, parseRunFilters, runDateRange, runFiltersKey } from "../../web/src/lib/run-filters.ts";

describe("run filters", () => {
  it("reads known workloads and statuses, trims names, and drops the rest", () => {
    expect(parseRunFilters({ workload: "video", status: ["done", "failed"], agent: "  ", model: " llama3 " })).toEqual({
      status: "done",
      model: "llama3",
    });
  });

  it("describes an empty result in the words of its filters", () => {
    expect(describeNoRuns({ workload: "llm", agent: "gpu-box" })).toBe("No llm runs on gpu-box.");
    expect(describeNoRuns({ status: "failed", workload: "image", model: "sdxl" })).toBe(
      "No failed image runs with sdxl.",
    );
    expect(describeNoRuns({ status: "cancelled" })).toBe("No cancelled runs.");
    expect(describeNoRuns({})).toBe("No races yet.");
  });

  it("gives the same key to the same filters whatever their order", () => {
    expect(runFiltersKey({ agent: "a", workload: "llm" })).toBe(runFiltersKey({ workload: "llm", agent: "a" }));
    expect(runFiltersKey({ agent: "a" })).not.toBe(runFiltersKey({ model: "a" }));
  });

  it("keeps whole days from the address and asks the API from the first day's start to the last day's end", () => {
    expect(parseRunFilters({ since: "2026-01-05", until: "2026-13-40" })).toEqual({ since: "2026-01-05" });
    expect(parseRunFilters({ since: "yesterday" })).toEqual({});
    const range = runDateRange({ since: "2026-01-05", until: "2026-01-05" });
    expect(range.since).toBe(new Date(2026, 0, 5).toISOString());
    expect(range.until).toBe(new Date(2026, 0, 6).toISOString());
    expect(runDateRange({})).toEqual({});
    expect(describeNoRuns({ workload: "llm", since: "2026-01-05", until: "2026-01-09" })).toBe(
      "No llm runs from 2026-01-05 to 2026-01-09.",
    );
    expect(describeNoRuns({ until: "2026-01-09" })).toBe("No runs until 2026-01-09.");
  });
});
