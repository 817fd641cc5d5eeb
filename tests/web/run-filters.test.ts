import { describe, expect, it } from "vitest";
import { describeNoRuns, parseRunFilters, runFiltersKey } from "../../web/src/lib/run-filters.ts";

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
});
