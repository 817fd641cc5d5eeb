/** The lab's settings: one row, read through the protocol's schema so a stored older shape still reads. */
import { eq } from "drizzle-orm";
import { defaultLabSettings, type LabSettings, labSettingsSchema } from "../coordinator/protocol/lab-settings.ts";
import type { Db } from "./client.ts";
import { labSettings } from "./schema.ts";

const rowId = 1;

/** The stored settings, or the defaults when none were saved or they no longer parse. */
export function readLabSettings(db: Db): LabSettings {
  const row = db.select().from(labSettings).where(eq(labSettings.id, rowId)).get();
  const parsed = labSettingsSchema.safeParse(row?.settings ?? {});
  return parsed.success ? parsed.data : defaultLabSettings;
}

export function writeLabSettings(db: Db, settings: LabSettings, now: number): void {
  db.insert(labSettings)
    .values({ id: rowId, settings, updatedAt: now })
    .onConflictDoUpdate({ target: labSettings.id, set: { settings, updatedAt: now } })
    .run();
}
