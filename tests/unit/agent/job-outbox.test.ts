import { describe, expect, it } from "vitest";
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
