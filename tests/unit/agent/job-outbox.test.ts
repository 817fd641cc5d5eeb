import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { createJobOutbox } from "../../../agent/job-outbox.ts";
import type { AgentToRace } from "../../../coordinator/protocol/messages.ts";

const progress = (fraction: number) => ({
  type: "job-progress" as const,
  repeat: 0,
  warmup: false,
  fraction,
  line: "",
});
const seqsOf = (sent: AgentToRace[]) => sent.map((m) => (m.type === "job-event" ? m.seq : -1));

describe("job outbox", () => {
  it("numbers events from 1 and sends them while a socket is attached", () => {
    const sent: AgentToRace[] = [];
    const outbox = createJobOutbox("j", () => {});
    outbox.attach((m) => sent.push(m));
    outbox.push(progress(0.1));
    outbox.push(progress(0.2));
    expect(seqsOf(sent)).toEqual([1, 2]);
  });

  it("keeps unacknowledged events and resends them after a reconnect", () => {
    const sent: AgentToRace[] = [];
    const outbox = createJobOutbox("j", () => {});
    outbox.attach((m) => sent.push(m));
    outbox.push(progress(0.1));
    outbox.push(progress(0.2));
    outbox.ack(1);
    outbox.attach(null);
    outbox.push(progress(0.3));
    expect(seqsOf(sent)).toEqual([1, 2]);
    outbox.attach((m) => sent.push(m));
    outbox.resendFrom(1);
    expect(seqsOf(sent)).toEqual([1, 2, 2, 3]);
  });

  it("settles once the terminal event is acknowledged", () => {
    let settled = 0;
    const outbox = createJobOutbox("j", () => settled++);
    outbox.push(progress(1));
    outbox.push({ type: "job-finish", status: "done", error: null });
    outbox.ack(1);
    expect(outbox.settled()).toBe(false);
    outbox.ack(2);
    expect([outbox.settled(), settled]).toEqual([true, 1]);
  });

  it("continues the numbering after events the room already holds", () => {
    const sent: AgentToRace[] = [];
    const outbox = createJobOutbox("j", () => {}, 7);
    outbox.attach((m) => sent.push(m));
    outbox.push({ type: "job-finish", status: "failed", error: { code: "agent_restarted", message: "x" } });
    expect(seqsOf(sent)).toEqual([8]);
  });
});

describe("job outbox on disk", () => {
  const spillTo = (maxMemoryBytes: number) => ({
    file: join(mkdtempSync(join(os.tmpdir(), "outbox-")), "job.ndjson"),
    maxMemoryBytes,
    afterMs: 60_000,
  });

  it("moves kept events to disk past its memory bound, resends them from there, and removes the file once acknowledged", () => {
    const spill = spillTo(500);
    const sent: AgentToRace[] = [];
    const outbox = createJobOutbox("j", () => {}, 0, spill);
    for (let i = 1; i <= 20; i++) outbox.push(progress(i / 100));
    expect(existsSync(spill.file)).toBe(true);
    outbox.ack(5);
    outbox.attach((m) => sent.push(m));
    outbox.resendFrom(1);
    expect(seqsOf(sent)).toEqual(Array.from({ length: 15 }, (_, i) => i + 6));
    outbox.ack(20);
    expect(existsSync(spill.file)).toBe(false);
  });

  it("moves kept events to disk once the socket has been gone for the reconnect window", () => {
    vi.useFakeTimers();
    try {
      const spill = spillTo(1_000_000);
      const outbox = createJobOutbox("j", () => {}, 0, spill);
      outbox.push(progress(0.1));
      outbox.attach(null);
      outbox.push(progress(0.2));
      vi.advanceTimersByTime(59_000);
      expect(existsSync(spill.file)).toBe(false);
      vi.advanceTimersByTime(1_000);
      outbox.push(progress(0.3));
      expect(
        readFileSync(spill.file, "utf8")
          .trim()
          .split("\n")
          .map((line) => JSON.parse(line).seq),
      ).toEqual([1, 2, 3]);
    } finally {
      vi.useRealTimers();
    }
  });
});
