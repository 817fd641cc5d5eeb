import { describe, expect, it } from "vitest";
import {
  formatBytes,
  formatDuration,
  formatInteger,
  formatRate,
  parseNumberInput,
  quotePrompt,
} from "../../web/src/lib/format.ts";

describe("formatting", () => {
  it("groups integers with thousands separators", () => {
    expect(formatInteger(5_761_455)).toBe("5,761,455");
    expect(formatInteger(0)).toBe("0");
  });

  it("writes durations in ms, seconds, or minutes", () => {
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12.34)).toBe("12.3 ms");
    expect(formatDuration(1234)).toBe("1.23 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
    expect(formatDuration(3_725_000)).toBe("1 h 2 min");
  });

  it("shortens large rates", () => {
    expect(formatRate(12_345_678)).toBe("12.35 M");
    expect(formatRate(950)).toBe("950");
  });

  it("writes sizes in binary units", () => {
    expect(formatBytes(16 * 1024 ** 3)).toBe("16 GiB");
    expect(formatBytes(512)).toBe("512 B");
  });
});

describe("parseNumberInput", () => {
  it("accepts separators and exponent form", () => {
    expect(parseNumberInput("100,000,000")).toBe(100_000_000);
    expect(parseNumberInput("1e8")).toBe(100_000_000);
    expect(parseNumberInput(" 1_000 ")).toBe(1000);
    expect(parseNumberInput("0.5")).toBe(0.5);
  });

  it("rejects text that is not a number", () => {
    expect(parseNumberInput("")).toBeNull();
    expect(parseNumberInput("ten")).toBeNull();
    expect(parseNumberInput("1e")).toBeNull();
  });
});

describe("quotePrompt", () => {
  it("quotes a short prompt whole and cuts a long one at 40 characters", () => {
    expect(quotePrompt("Why is the sky blue?")).toBe("“Why is the sky blue?”");
    expect(quotePrompt("a".repeat(41))).toBe(`“${"a".repeat(40)}…”`);
  });
});
