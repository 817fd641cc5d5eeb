/**
 * The lab's settings, kept on the coordinator (`GET/PUT /api/settings`): the models every machine
 * should have (the model policy) and the defaults a new race starts from. Every field has a
 * default, so an empty or older stored value still reads as whole settings.
 */
import { z } from "zod";
import { ollamaModelNameSchema } from "./api.ts";

export const labSettingsSchema = z.object({
  /** Ollama models every machine should have */
  models: z.array(ollamaModelNameSchema).max(50).default([]),
  /** measured passes a new race starts with */
  repeats: z.number().int().min(1).max(100).default(1),
  /** warm-up passes a new race starts with */
  warmup: z.number().int().min(0).max(10).default(0),
});
export type LabSettings = z.infer<typeof labSettingsSchema>;

/** The settings a lab starts with. */
export const defaultLabSettings: LabSettings = labSettingsSchema.parse({});

/** `GET /api/settings` and the answer to `PUT /api/settings`, whose body is the settings themselves. */
export const labSettingsResponseSchema = z.object({ settings: labSettingsSchema });
