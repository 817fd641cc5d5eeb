/**
 * A race's events in its room's storage until the run sink has stored them all and the race is
 * over. A room brought back after eviction replays them into the same state, knows each job's
 * applied seq (so agents resend only what is missing), and writes to the sink what it had not.
 */
import type { Logger } from "../protocol/logger.ts";
import { type StoredEvent, storedEventSchema } from "../protocol/race-state.ts";
import type { RoomStorage } from "./ports.ts";

export interface RaceJournal {
  /** keeps an event (writes are ordered; the room does not wait for them) */
  record(stored: StoredEvent): void;
  /** the sink stored every event up to `seq`; once the race is over the journal empties itself */
  stored(seq: number, over: boolean): void;
  /** the kept events in seq order, and how far the sink had stored them */
  load(): Promise<{ events: StoredEvent[]; storedSeq: number }>;
}

const eventKey = (seq: number) => `event:${String(seq).padStart(10, "0")}`;
const storedKey = "stored-seq";

export function createRaceJournal(storage: RoomStorage, log: Logger): RaceJournal {
  const failed = (error: unknown) => log.error("room storage write failed", { error: String(error) });
  return {
    record(stored) {
      storage.put({ [eventKey(stored.seq)]: stored }).catch(failed);
    },
    stored(seq, over) {
      (over ? storage.deleteAll() : storage.put({ [storedKey]: seq })).catch(failed);
    },
    async load() {
      const kept = await storage.list("event:");
      const events = [...kept.values()].flatMap((value) => {
        const parsed = storedEventSchema.safeParse(value);
        return parsed.success ? [parsed.data] : [];
      });
      const storedSeq = await storage.get(storedKey);
      return { events, storedSeq: typeof storedSeq === "number" ? storedSeq : 0 };
    },
  };
}
