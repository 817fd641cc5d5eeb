import { describe, expect, it } from "vitest";
import { agentToRaceSchema, raceToViewerSchema } from "../../../coordinator/protocol/messages.ts";
import { parseMessage } from "../../../coordinator/room/parse-message.ts";

describe("message parsing", () => {
  it("accepts a well-formed job event", () => {
    const raw = JSON.stringify({
      type: "job-event",
      job_id: "r/l0",
      seq: 3,
      event: { type: "job-progress", repeat: 0, warmup: false, fraction: 0.25, line: "x" },
    });
    expect(parseMessage(agentToRaceSchema, raw)).toMatchObject({ ok: true, data: { seq: 3 } });
  });

  it("names the field that is wrong", () => {
    const raw = JSON.stringify({
      type: "job-event",
      job_id: "r/l0",
      seq: 1,
      event: { type: "job-progress", repeat: 0, warmup: false, fraction: 2, line: "x" },
    });
    const parsed = parseMessage(agentToRaceSchema, raw);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? "" : parsed.error.message).toContain("event.fraction");
  });

  it("refuses non-JSON, unknown types and oversized messages", () => {
    expect(parseMessage(agentToRaceSchema, "nope")).toMatchObject({ ok: false, error: { code: "bad_json" } });
    expect(parseMessage(raceToViewerSchema, '{"type":"race-teleport"}')).toMatchObject({
      ok: false,
      error: { code: "bad_message" },
    });
    expect(parseMessage(agentToRaceSchema, "x".repeat(1_000_001))).toMatchObject({
      ok: false,
      error: { code: "too_large" },
    });
  });
});
