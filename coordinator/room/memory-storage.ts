/** The storage port in memory: what the room tests run a journal on, and a host without durable storage could use. */
import type { RoomStorage } from "./ports.ts";

export function createMemoryStorage(): RoomStorage {
  const entries = new Map<string, unknown>();
  return {
    async list(prefix) {
      const keys = [...entries.keys()].filter((key) => key.startsWith(prefix)).sort();
      return new Map(keys.map((key) => [key, entries.get(key)]));
    },
    async get(key) {
      return entries.get(key);
    },
    async put(values) {
      for (const [key, value] of Object.entries(values)) entries.set(key, value);
    },
    async deleteAll() {
      entries.clear();
    },
  };
}
