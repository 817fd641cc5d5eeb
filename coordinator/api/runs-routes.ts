/**
 * `/api/runs`: start, list, read, cancel and delete races. Reads are open (a run id is an
 * unguessable share link); everything that changes a run needs the operator key.
 */
import { Hono } from "hono";
import { z } from "zod";
import { decodeRunCursor } from "../../db/run-cursor.ts";
import { isImageHeld } from "../../db/run-images.ts";
import { listRuns } from "../../db/run-views.ts";
import { deleteRun } from "../../db/runs.ts";
import { runStatusSchema, terminalRunStatuses, workloadSchema } from "../protocol/enums.ts";
import { createTokenBuckets } from "../protocol/token-buckets.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { createRun, runStartRate } from "./create-run.ts";
import { findRunOrThrow } from "./find-run-or-throw.ts";
import { createOperatorAuth } from "./operator-auth.ts";
import { parseOrThrow } from "./parse-or-throw.ts";
import { readJsonBody } from "./read-json-body.ts";

const maxPage = 200;

/** a date-time with no Z or offset: read as UTC, as a date alone is, never in the server's time zone */
const withoutOffset = /T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

/**
 * An ISO 8601 date ("2026-01-02", midnight UTC) or time ("2026-01-02T10:00:00+01:00"; UTC when it
 * names no offset) as ms since the Unix epoch, or a 400 naming the field.
 */
const isoInstant = (field: string) =>
  z
    .string()
    .max(40)
    .transform((text, ctx) => {
      const utc = withoutOffset.test(text) ? `${text}Z` : text;
      const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(utc) : Number.NaN;
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: "custom", message: `${field} must be an ISO 8601 date or time, e.g. 2026-01-02` });
        return z.NEVER;
      }
      return ms;
    });

const listQuerySchema = z.object({
  workload: workloadSchema.optional(),
  status: runStatusSchema.optional(),
  /** agent id or name */
  agent: z.string().min(1).max(200).optional(),
  model: z.string().min(1).max(200).optional(),
  limit: z.coerce
    .number({ error: `limit must be a whole number from 1 to ${maxPage}` })
    .int({ error: `limit must be a whole number from 1 to ${maxPage}` })
    .min(1, { error: `limit must be a whole number from 1 to ${maxPage}` })
    .max(maxPage, { error: `limit must be at most ${maxPage}` })
    .default(50),
  cursor: z.string().min(1).optional(),
  /** runs created at or after this time: an ISO 8601 date or time */
  since: isoInstant("since").optional(),
  /** runs created before this time: an ISO 8601 date or time */
  until: isoInstant("until").optional(),
});

async function cancelInRoom(deps: ApiDeps, id: string): Promise<void> {
  try {
    await deps.rooms.post("race", id, { type: "race-cancel" });
  } catch (error) {
    if (error instanceof ApiError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      503,
      "rooms_unavailable",
      `The race room of run ${id} could not be reached (${reason}); try again.`,
    );
  }
}

export function createRunsRoutes(deps: ApiDeps): Hono {
  const app = new Hono();
  const operatorOnly = createOperatorAuth(deps.operatorKey);
  const runStarts = createTokenBuckets({ ...runStartRate, now: deps.now ?? Date.now });

  app.post("/", operatorOnly, async (c) => {
    const allowStart = () => runStarts.take("operator");
    return c.json(await createRun(deps, await readJsonBody(c), allowStart), 201);
  });

  app.get("/", (c) => {
    const query = parseOrThrow(listQuerySchema, c.req.query());
    if (query.cursor !== undefined && !decodeRunCursor(query.cursor)) {
      throw new ApiError(400, "bad_request", "cursor: pass the next_cursor of the previous page as it came");
    }
    return c.json(listRuns(deps.db, query, deps.publicUrl));
  });

  app.get("/:id", (c) => c.json({ run: findRunOrThrow(deps, c.req.param("id")) }));

  app.post("/:id/cancel", operatorOnly, async (c) => {
    const run = findRunOrThrow(deps, c.req.param("id"));
    if (terminalRunStatuses.includes(run.status)) {
      throw new ApiError(
        409,
        "run_finished",
        `Run ${run.id} is already ${run.status}; only a pending or running run can be cancelled.`,
      );
    }
    await cancelInRoom(deps, run.id);
    return c.json({ run: findRunOrThrow(deps, run.id) }, 202);
  });

  app.delete("/:id", operatorOnly, async (c) => {
    const run = findRunOrThrow(deps, c.req.param("id"));
    if (!terminalRunStatuses.includes(run.status)) {
      // The run is deleted either way: a room that cannot be reached has no race left to stop.
      await cancelInRoom(deps, run.id).catch(() => undefined);
    }
    const deleted = deleteRun(deps.db, run.id);
    for (const sha256 of deleted ? deleted.orphanImages : []) {
      await deps.images
        ?.remove(sha256, () => !isImageHeld(deps.db, sha256))
        .catch((error: unknown) =>
          deps.log.warn("could not remove a deleted run's image", { sha256, error: String(error) }),
        );
    }
    return c.json({ deleted: run.id });
  });

  return app;
}
