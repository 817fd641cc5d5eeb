/**
 * The agent's start check: the coordinator URL must answer bench-race's `/api/health` (local mode,
 * or the PartyKit front door of cloud mode, which forwards it to the API). Anything else (a bare
 * PartyKit room, another web server, nothing) is refused with what to pass instead; enrollment
 * then checks the token.
 */
import { type Health, healthSchema } from "../coordinator/protocol/api.ts";

const causeOf = (err: unknown): string =>
  err instanceof Error && err.cause instanceof Error
    ? err.cause.message
    : err instanceof Error
      ? err.message
      : String(err);

export async function checkCoordinator(url: string, send: typeof fetch = fetch): Promise<Health> {
  const health = await send(new URL("/api/health", url), { signal: AbortSignal.timeout(10_000) }).catch(
    (err: unknown) => {
      throw new Error(
        `The coordinator at ${url} is not reachable (${causeOf(err)}). Check the URL and that it is running.`,
      );
    },
  );
  const body = health.ok ? healthSchema.safeParse(await health.json().catch(() => null)) : null;
  if (!body?.success) {
    throw new Error(
      `${url} answered ${health.status} to /api/health without bench-race's health: give --coordinator the URL of a bench-race coordinator (local mode, or the PartyKit front door of cloud mode), not a room or another server.`,
    );
  }
  return body.data;
}
