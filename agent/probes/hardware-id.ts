/** The id of a hardware snapshot: a content hash, so the same machine reports the same id. */
import { createHash } from "node:crypto";
import type { Hardware } from "../../coordinator/protocol/hardware.ts";

/** sha256 (32 hex) of every reported field but the reasons for unknowns (they may vary run to run). */
export function hardwareIdOf(hardware: Hardware): string {
  const { unknown: _unknown, ...stable } = hardware;
  const sorted = JSON.stringify(stable, (_key, value: unknown) =>
    value && typeof value === "object" && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)))
      : value,
  );
  return createHash("sha256").update(sorted).digest("hex").slice(0, 32);
}
