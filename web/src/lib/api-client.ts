// The browser's side of the JSON API: every response is parsed with the protocol's schemas (or
// the run-list schema below), and every error body becomes an ApiRequestError carrying the
// server's own message, which already tells the user what to do.
import { z } from "zod";
import {
  type AgentView,
  agentViewSchema,
  apiErrorSchema,
  type CreateRun,
  type Enrollment,
  enrollmentSchema,
  type LabDispatchResult,
  labDispatchResultSchema,
  type ModelPullState,
  modelPullListSchema,
  type RunList,
  type RunView,
  runListSchema,
  runViewSchema,
} from "../../../coordinator/protocol/api.ts";
import { type CheckpointSpec, checkpointSpecSchema } from "../../../coordinator/protocol/checkpoint.ts";
import type { RunStatus, Workload } from "../../../coordinator/protocol/enums.ts";
import { type LabSettings, labSettingsResponseSchema } from "../../../coordinator/protocol/lab-settings.ts";
import { type AgentOverrides, agentOverridesSchema } from "../../../coordinator/protocol/overrides.ts";
import { type StoredEvent, storedEventSchema } from "../../../coordinator/protocol/race-state.ts";
import { type MachineSample, machineSampleSchema } from "../../../coordinator/protocol/runtime-sample.ts";
import { errorText } from "./error-text.ts";
import { parseNdjson } from "./parse-ndjson.ts";

/** One row of `GET /api/runs`: a run without its results, with just enough of each lane to list it. */
/** An HTTP error from the API, with the server's code and message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ApiRequestError";
  }
}

export interface RunListQuery {
  workload?: Workload;
  status?: RunStatus;
  /** agent id or name */
  agent?: string;
  model?: string;
  /** ISO 8601: runs created at or after this instant */
  since?: string;
  /** ISO 8601: runs created before this instant */
  until?: string;
  limit?: number;
  cursor?: string;
}

export type ApiClient = ReturnType<typeof createApiClient>;

/** Builds the client over a fetch (the browser's by default; tests pass a fake). */
export function createApiClient(fetchFn: typeof fetch = (input, init) => fetch(input, init)) {
  async function request(path: string, init?: RequestInit): Promise<Response> {
    let response: Response;
    try {
      response = await fetchFn(path, { credentials: "same-origin", ...init });
    } catch (cause) {
      const reason = errorText(cause);
      throw new ApiRequestError(0, "network", `Could not reach the coordinator (${reason}). Is it running?`);
    }
    if (response.ok) return response;
    const text = await response.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const parsed = apiErrorSchema.safeParse(body);
    if (parsed.success) throw new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message);
    throw new ApiRequestError(
      response.status,
      "http_error",
      `${path} answered ${response.status} ${response.statusText}`,
    );
  }

  async function json<T>(schema: z.ZodType<T>, path: string, init?: RequestInit): Promise<T> {
    const response = await request(path, init);
    const parsed = schema.safeParse(await response.json());
    if (!parsed.success) {
      throw new ApiRequestError(
        response.status,
        "bad_response",
        `${path} sent an unexpected body: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  }

  const runPath = (id: string) => `/api/runs/${encodeURIComponent(id)}`;

  return {
    async listAgents(): Promise<AgentView[]> {
      return (await json(z.object({ agents: z.array(agentViewSchema) }), "/api/agents")).agents;
    },
    /** revokes a machine's key: it is disconnected at once and refused from then on (operator only) */
    async revokeAgent(id: string): Promise<AgentView | null> {
      const body = await json(
        z.object({ agent: agentViewSchema.optional() }),
        `/api/agents/${encodeURIComponent(id)}/revoke`,
        { method: "POST" },
      );
      return body.agent ?? null;
    },
    /** the agent token and the command that adds a machine (operator only) */
    async getEnrollment(): Promise<Enrollment> {
      return json(enrollmentSchema, "/api/fleet/enrollment");
    },
    /** asks each machine's Ollama to pull the model; answers which machines got the request */
    async pullModel(agents: readonly string[], model: string): Promise<LabDispatchResult> {
      const body = JSON.stringify({ agents, model });
      const init = { method: "POST", headers: { "content-type": "application/json" }, body };
      return json(labDispatchResultSchema, "/api/agents/pull", init);
    },
    /** the latest progress of recent model pulls */
    async listPulls(): Promise<ModelPullState[]> {
      return (await json(modelPullListSchema, "/api/agents/pulls")).pulls;
    },
    async createRun(body: CreateRun): Promise<RunView> {
      const init = { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
      return (await json(z.object({ run: runViewSchema }), "/api/runs", init)).run;
    },
    async getRun(id: string): Promise<RunView> {
      return (await json(z.object({ run: runViewSchema }), runPath(id))).run;
    },
    async getRunEvents(id: string): Promise<StoredEvent[]> {
      const response = await request(`${runPath(id)}/events`);
      return parseNdjson(await response.text(), storedEventSchema);
    },
    /** the runtime samples of the run's machines over its window */
    async getRunSamples(id: string): Promise<MachineSample[]> {
      const response = await request(`${runPath(id)}/samples`);
      return parseNdjson(await response.text(), machineSampleSchema);
    },
    /** asks a machine to probe its hardware again (operator only) */
    async probeHardware(agentId: string): Promise<LabDispatchResult> {
      const path = `/api/agents/${encodeURIComponent(agentId)}/probe`;
      return json(labDispatchResultSchema, path, { method: "POST" });
    },
    /** replaces a machine's overrides (operator only); null clears them */
    async saveOverrides(agentId: string, overrides: AgentOverrides | null): Promise<AgentOverrides | null> {
      const init = putJson({ overrides });
      const path = `/api/agents/${encodeURIComponent(agentId)}/overrides`;
      return (await json(z.object({ overrides: agentOverridesSchema.nullable() }), path, init)).overrides;
    },
    /** the lab's settings: model policy and the defaults of a new race */
    async getSettings(): Promise<LabSettings> {
      return (await json(labSettingsResponseSchema, "/api/settings")).settings;
    },
    /** replaces the lab's settings (operator only); answers them as stored */
    async saveSettings(settings: LabSettings): Promise<LabSettings> {
      return (await json(labSettingsResponseSchema, "/api/settings", putJson(settings))).settings;
    },
    /** the image checkpoint catalog (operator only) */
    async listCheckpoints(): Promise<CheckpointSpec[]> {
      return (await json(checkpointListSchema, "/api/checkpoints")).checkpoints;
    },
    /** replaces the catalog with these `label | url | sha256:<hex>` lines (operator only) */
    async saveCheckpoints(list: string, allowPrivate: boolean): Promise<CheckpointSpec[]> {
      const init = putJson({ list, allow_private: allowPrivate });
      return (await json(checkpointListSchema, "/api/checkpoints", init)).checkpoints;
    },
    /** downloads the catalog's checkpoints onto these machines' ComfyUI; progress shows in listPulls */
    async syncCheckpoints(agents: readonly string[]): Promise<LabDispatchResult> {
      const init = {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ agents }),
      };
      return json(labDispatchResultSchema, "/api/checkpoints/sync", init);
    },
    async listRuns(query: RunListQuery = {}): Promise<RunList> {
      const search = new URLSearchParams();
      if (query.workload) search.set("workload", query.workload);
      if (query.status) search.set("status", query.status);
      if (query.agent) search.set("agent", query.agent);
      if (query.model) search.set("model", query.model);
      if (query.since) search.set("since", query.since);
      if (query.until) search.set("until", query.until);
      if (query.limit !== undefined) search.set("limit", String(query.limit));
      if (query.cursor) search.set("cursor", query.cursor);
      const suffix = search.size > 0 ? `?${search}` : "";
      return json(runListSchema, `/api/runs${suffix}`);
    },
    async cancelRun(id: string): Promise<void> {
      await request(`${runPath(id)}/cancel`, { method: "POST" });
    },
    /** deletes a run with its events and results */
    async deleteRun(id: string): Promise<void> {
      await request(runPath(id), { method: "DELETE" });
    },
    /** whether this browser holds the operator cookie (or key) */
    async getSession(): Promise<Session> {
      return json(sessionSchema, "/api/session");
    },
    /** clears the operator cookie: this browser becomes a spectator until it opens the dashboard link again */
    async signOut(): Promise<Session> {
      return json(sessionSchema, "/api/session", { method: "DELETE" });
    },
  };
}

const checkpointListSchema = z.object({ checkpoints: z.array(checkpointSpecSchema) });

const putJson = (body: unknown): RequestInit => ({
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify(body),
});

const sessionSchema = z.object({ operator: z.boolean() });
export type Session = z.infer<typeof sessionSchema>;

/** The download link of a run's export. */
export const exportUrl = (id: string, format: "csv" | "json"): string =>
  `/api/runs/${encodeURIComponent(id)}/export.${format}`;

/** The download link of a run's stored events, one JSON object a line. */
export const eventsUrl = (id: string): string => `/api/runs/${encodeURIComponent(id)}/events`;

/** The client the pages share. */
export const api = createApiClient();
