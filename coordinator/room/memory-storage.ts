/** The storage port in memory: local mode's rooms live and die with their process, so memory is enough there. */
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
