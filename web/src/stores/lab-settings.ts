// The lab's settings as this browser keeps them (localStorage): the models every machine should
// have (the model policy) and the defaults a new race starts from. Read with a schema, so a
// damaged or older entry falls back to the defaults instead of breaking the pages.
import { z } from "zod";
import { ollamaModelNameSchema } from "../../../coordinator/protocol/api.ts";

export const labSettingsSchema = z.object({
  /** Ollama models every machine should have */
  models: z.array(ollamaModelNameSchema).max(50).default([]),
  /** measured passes a new race starts with */
  repeats: z.number().int().min(1).max(100).default(1),
  /** warm-up passes a new race starts with */
  warmup: z.number().int().min(0).max(10).default(0),
});
export type LabSettings = z.infer<typeof labSettingsSchema>;

const storageKey = "bench-race.settings";

/** The stored settings, or the defaults when there are none or they do not parse. */
export function readLabSettings(
  storage: Pick<Storage, "getItem"> | null = globalThis.localStorage ?? null,
): LabSettings {
  try {
    const parsed = labSettingsSchema.safeParse(JSON.parse(storage?.getItem(storageKey) ?? "{}"));
    if (parsed.success) return parsed.data;
  } catch {
    // not JSON: fall through to the defaults
  }
  return labSettingsSchema.parse({});
}

export function writeLabSettings(
  settings: LabSettings,
  storage: Pick<Storage, "setItem"> | null = globalThis.localStorage ?? null,
): void {
  storage?.setItem(storageKey, JSON.stringify(labSettingsSchema.parse(settings)));
}
