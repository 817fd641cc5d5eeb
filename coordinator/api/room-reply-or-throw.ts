/** A room's answer to a control message as the API uses it: the body when accepted, an `ApiError` with the room's own code and message when refused. */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { apiErrorSchema } from "../protocol/api.ts";
import { ApiError } from "./api-error.ts";

export function roomReplyOrThrow(party: "race" | "lab", reply: { status: number; body: unknown }): unknown {
  if (reply.status < 400) return reply.body;
  const refusal = apiErrorSchema.safeParse(reply.body);
  const { code, message } = refusal.success
    ? refusal.data.error
    : { code: "room_refused", message: `The ${party} room refused the request (HTTP ${reply.status}).` };
  throw new ApiError(reply.status as ContentfulStatusCode, code, message);
}
