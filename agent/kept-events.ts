/**
 * A job's events kept until the room acknowledges them: in memory while they are few, and on disk
 * (one NDJSON file per job) once they pass `maxMemoryBytes` or the socket has been gone longer than
 * the reconnect window, so a job that outlives a long outage neither grows the agent's memory nor
 * loses an event if it runs on. The file goes once every event in it is acknowledged.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { JobEvent } from "../coordinator/protocol/job.ts";

export interface KeptEvents {
  add(seq: number, event: JobEvent): void;
  /** the kept events with seq in [from, to], in order */
  range(from: number, to: number): Array<{ seq: number; event: JobEvent }>;
  /** forgets every event up to `seq` (acknowledged) */
  dropThrough(seq: number): void;
  /** moves what memory holds to disk; later events go straight there */
  spill(): void;
  /** true while the events live on disk */
  spilled(): boolean;
  /** bytes of event JSON held in memory */
  memoryBytes(): number;
}

/** Where a job's events go on disk, and how much memory they may take before that. */
export interface SpillOptions {
  file: string;
  maxMemoryBytes: number;
}

export function createKeptEvents(spillTo: SpillOptions | null): KeptEvents {
  const memory = new Map<number, { event: JobEvent; bytes: number }>();
  let bytes = 0;
  let onDisk = false;
  /** events on disk with seq <= droppedThrough are acknowledged */
  let droppedThrough = 0;
  let lastOnDisk = 0;

  const writeLines = (entries: Array<{ seq: number; event: JobEvent }>) => {
    if (!spillTo || entries.length === 0) return;
    appendFileSync(spillTo.file, entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
    lastOnDisk = entries.at(-1)?.seq ?? lastOnDisk;
  };
  const readDisk = (): Array<{ seq: number; event: JobEvent }> =>
    spillTo
      ? readFileSync(spillTo.file, "utf8")
          .split("\n")
          .filter((line) => line !== "")
          .map((line) => JSON.parse(line))
      : [];

  const kept: KeptEvents = {
    add(seq, event) {
      if (onDisk) return writeLines([{ seq, event }]);
      const size = JSON.stringify(event).length;
      memory.set(seq, { event, bytes: size });
      bytes += size;
      if (spillTo && bytes > spillTo.maxMemoryBytes) kept.spill();
    },
    range(from, to) {
      if (onDisk)
        return readDisk().filter((entry) => entry.seq >= from && entry.seq <= to && entry.seq > droppedThrough);
      const found: Array<{ seq: number; event: JobEvent }> = [];
      for (let seq = from; seq <= to; seq++) {
        const entry = memory.get(seq);
        if (entry) found.push({ seq, event: entry.event });
      }
      return found;
    },
    dropThrough(seq) {
      for (const [kept, entry] of memory) {
        if (kept > seq) continue;
        memory.delete(kept);
        bytes -= entry.bytes;
      }
      droppedThrough = Math.max(droppedThrough, seq);
      if (onDisk && spillTo && droppedThrough >= lastOnDisk) {
        rmSync(spillTo.file, { force: true });
        onDisk = false;
      }
    },
    spill() {
      if (!spillTo || onDisk) return;
      mkdirSync(dirname(spillTo.file), { recursive: true });
      rmSync(spillTo.file, { force: true });
      onDisk = true;
      writeLines([...memory].sort(([a], [b]) => a - b).map(([seq, entry]) => ({ seq, event: entry.event })));
      memory.clear();
      bytes = 0;
    },
    spilled: () => onDisk,
    memoryBytes: () => bytes,
  };
  return kept;
}
