/** Loads a run's view for a route, or answers 404 with a message that says why it may be missing. */
import { getRunView } from "../../db/run-views.ts";
import type { RunView } from "../protocol/api.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";

export function findRunOrThrow(deps: Pick<ApiDeps, "db" | "publicUrl">, id: string): RunView {
  const run = getRunView(deps.db, id, deps.publicUrl);
  if (!run) {
    throw new ApiError(
      404,
      "not_found",
      `No run has the id "${id}": it may have been deleted, or the link is incomplete.`,
    );
  }
  return run;
}
