/**
 * An agent's identity on a coordinator: on its first start the agent enrolls with the enrollment
 * token (POST /api/agents/enroll) and the coordinator gives it an id and a key; both are kept in
 * the state dir (readable by this user only), per machine name and coordinator, so a restart is
 * the same agent. The key, never the enrollment token, is what the agent connects with.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EnrollGrant, enrollGrantSchema } from "../coordinator/protocol/api.ts";

export interface EnrollOptions {
  stateDir: string;
  name: string;
  coordinatorUrl: string;
  token: string;
  fetch?: typeof fetch;
}

/** Where an agent's key is kept for one name on one coordinator. */
export function credentialsFile(stateDir: string, name: string, coordinatorUrl: string): string {
  const slug = (text: string) => text.replace(/[^\w.-]/g, "_");
  return join(stateDir, `agent-${slug(name)}@${slug(new URL(coordinatorUrl).host)}.json`);
}

export async function loadOrEnroll(options: EnrollOptions): Promise<EnrollGrant> {
  const file = credentialsFile(options.stateDir, options.name, options.coordinatorUrl);
  if (existsSync(file)) {
    const saved = enrollGrantSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
    if (saved.success) return saved.data;
  }
  const url = new URL("/api/agents/enroll", options.coordinatorUrl);
  const response = await (options.fetch ?? fetch)(url, {
    method: "POST",
    headers: { authorization: `Bearer ${options.token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: options.name }),
  }).catch((error: unknown) => {
    throw new Error(`Could not reach the coordinator at ${url.origin} to enroll (${String(error)}). Is it running?`);
  });
  if (!response.ok) {
    const detail = await response.text();
    throw new Error(`The coordinator refused to enroll this agent (${response.status}): ${detail.slice(0, 500)}`);
  }
  const grant = enrollGrantSchema.parse(await response.json());
  mkdirSync(options.stateDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(grant)}\n`, { mode: 0o600 });
  return grant;
}
