/**
 * An agent's identity on a coordinator: on its first start the agent enrolls with the enrollment
 * token (POST /api/agents/enroll) and the coordinator gives it an id and a key; both are kept in
 * the state dir (readable by this user only), per machine name and coordinator, so a restart is
 * the same agent. The key, never the enrollment token, is what the agent connects with.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { apiErrorSchema, type EnrollGrant, enrollGrantSchema } from "../coordinator/protocol/api.ts";

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

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

/**
 * The saved key when the coordinator still takes it, else a fresh enrollment. A key the coordinator
 * no longer knows (its data dir was reset) is replaced; a revoked one is an error that says what to do.
 */
export async function loadOrEnroll(options: EnrollOptions): Promise<EnrollGrant> {
  const file = credentialsFile(options.stateDir, options.name, options.coordinatorUrl);
  const saved = existsSync(file) ? enrollGrantSchema.safeParse(JSON.parse(readFileSync(file, "utf8"))) : null;
  if (saved?.success) {
    const status = await keyStatus(options, saved.data);
    if (status === 403) {
      throw new Error(
        `The operator revoked this machine (${saved.data.agent_id}). To race it again, delete ${file} and start the agent again; it enrolls as a new machine.`,
      );
    }
    if (status !== 401) return saved.data;
  }
  return enroll(options, file);
}

/** How the coordinator answers a plain GET on the lab room with this key: 426 when good, 401 unknown, 403 revoked. */
async function keyStatus(options: EnrollOptions, grant: EnrollGrant): Promise<number> {
  const query = new URLSearchParams({ role: "agent", agent_id: grant.agent_id, key: grant.agent_key });
  const url = new URL(`/parties/lab/main?${query}`, options.coordinatorUrl);
  const response = await (options.fetch ?? fetch)(url);
  await response.body?.cancel();
  return response.status;
}

async function enroll(options: EnrollOptions, file: string): Promise<EnrollGrant> {
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
    const reason = apiErrorSchema.safeParse(safeJson(detail));
    throw new Error(
      `The coordinator at ${url.origin} refused to enroll this agent (${response.status}): ${reason.success ? reason.data.error.message : detail.slice(0, 500)}`,
    );
  }
  const grant = enrollGrantSchema.parse(await response.json());
  mkdirSync(options.stateDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(grant)}\n`, { mode: 0o600 });
  return grant;
}
