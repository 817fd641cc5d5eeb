/** An agent's id, created on its first start and kept per machine name, so a restart is the same agent. */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export function loadAgentId(stateDir: string, name: string): string {
  const file = join(stateDir, `agent-${name.replace(/[^\w.-]/g, "_")}.id`);
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(stateDir, { recursive: true });
  const id = `${name.replace(/[^\w.-]/g, "-").slice(0, 40)}-${randomBytes(6).toString("hex")}`;
  writeFileSync(file, `${id}\n`);
  return id;
}
