/**
 * What every LLM backend promises the runner, as one suite each backend's tests plug into:
 * events in order (begin, first-byte, text), exactly one terminal event per pass, an abort that
 * ends a pass promptly as `cancelled`, and a cut stream reported as an error, never a result.
 */
import { describe, expect, it } from "vitest";
import type { PreparedJob, WorkloadEvent } from "../../../agent/backends/backend.ts";

export interface BackendContractCase {
  /** a prepared job whose passes stream text to a result */
  complete(): Promise<PreparedJob>;
  /** a prepared job whose passes stream some text, then wait until their signal aborts */
  stalled(): Promise<PreparedJob>;
  /** a prepared job whose stream stops before the engine's end; leave out when the engine has no stream to cut */
  truncated?(): Promise<PreparedJob>;
  /** the event that shows a stalled pass is under way; default `text` (llm), `image-step` for images */
  streams?: "text" | "image-step";
}

/** How long an aborted pass may take to end, in milliseconds. */
const promptlyMs = 1_000;

const isTerminal = (event: WorkloadEvent) => event.type === "result" || event.type === "error";
const pass = { repeat: 0, warmup: false };

/** Every event of one pass; `onEvent` may abort it. */
export async function collectPass(
  job: PreparedJob,
  onEvent?: (event: WorkloadEvent, abort: () => void) => void,
): Promise<WorkloadEvent[]> {
  const controller = new AbortController();
  const events: WorkloadEvent[] = [];
  for await (const event of job.run(pass, controller.signal)) {
    events.push(event);
    onEvent?.(event, () => controller.abort());
  }
  return events;
}

export function describeBackendContract(name: string, makeCase: () => BackendContractCase): void {
  describe(`${name} backend contract`, () => {
    it("ends a complete pass with exactly one terminal event, a result, as its last event", async () => {
      const events = await collectPass(await makeCase().complete());
      expect(events.filter(isTerminal)).toHaveLength(1);
      expect(events.at(-1)?.type).toBe("result");
    });

    // skipped for image backends: a pass of theirs streams steps and previews, never text (their order is checked in their own cases)
    it.skipIf(makeCase().streams === "image-step")("reports begin first, then first-byte, then text", async () => {
      const types = (await collectPass(await makeCase().complete())).map((e) => e.type);
      expect(types[0]).toBe("begin");
      expect(types.filter((t) => t === "begin" || t === "first-byte")).toEqual(["begin", "first-byte"]);
      const firstText = types.indexOf("text");
      expect(firstText).toBeGreaterThan(types.indexOf("first-byte"));
    });

    it("runs passes one after another on one prepared job, each ending in a result", async () => {
      const job = await makeCase().complete();
      const first = await collectPass(job);
      const second = await collectPass(job);
      expect([first.at(-1)?.type, second.at(-1)?.type]).toEqual(["result", "result"]);
      expect(second.filter((e) => e.type === "text")).toEqual(first.filter((e) => e.type === "text"));
      await job.dispose();
    });

    it("ends a pass promptly with one cancelled error when aborted mid-stream", async () => {
      const contract = makeCase();
      const job = await contract.stalled();
      const streams = contract.streams ?? "text";
      let abortedAt = 0;
      const events = await collectPass(job, (event, abort) => {
        if (event.type === streams && abortedAt === 0) {
          abortedAt = performance.now();
          abort();
        }
      });
      expect(abortedAt).toBeGreaterThan(0);
      expect(performance.now() - abortedAt).toBeLessThan(promptlyMs);
      expect(events.filter(isTerminal)).toEqual([
        { type: "error", error: expect.objectContaining({ code: "cancelled" }) },
      ]);
      expect(events.at(-1)?.type).toBe("error");
    });

    it("ends a pass at once with cancelled when its signal is already aborted", async () => {
      const job = await makeCase().complete();
      const events: WorkloadEvent[] = [];
      for await (const event of job.run(pass, AbortSignal.abort())) events.push(event);
      expect(events).toEqual([{ type: "error", error: expect.objectContaining({ code: "cancelled" }) }]);
    });

    it.skipIf(!makeCase().truncated)("reports a truncated stream as one stream_error, not a result", async () => {
      const truncated = makeCase().truncated;
      const events = await collectPass(await truncated!());
      expect(events.filter(isTerminal)).toEqual([
        { type: "error", error: expect.objectContaining({ code: "stream_error" }) },
      ]);
      expect(events.at(-1)?.type).toBe("error");
    });
  });
}
