/**
 * The API as the operator calls it in tests: with the operator key, JSON in and out. `baseUrl` is
 * read at each call, so a server restarted on another URL is followed.
 */
import { type RunView, runViewSchema } from "../../coordinator/protocol/api.ts";

export function operatorApi(baseUrl: () => string, operatorKey: () => string) {
  const call = (path: string, init: RequestInit = {}) =>
    fetch(`${baseUrl()}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${operatorKey()}`, "content-type": "application/json", ...init.headers },
    });
  return {
    call,
    /** starts a race through the API and returns the created run; throws unless the API answers 201 */
    async startRun(body: Record<string, unknown>): Promise<RunView> {
      const response = await call("/api/runs", { method: "POST", body: JSON.stringify(body) });
      if (response.status !== 201)
        throw new Error(`POST /api/runs answered ${response.status}: ${await response.text()}`);
      return runViewSchema.parse(((await response.json()) as { run: unknown }).run);
    },
    /** the run as the API shows it now */
    async getRun(runId: string): Promise<RunView> {
      return runViewSchema.parse(((await (await call(`/api/runs/${runId}`)).json()) as { run: unknown }).run);
    },
  };
}
