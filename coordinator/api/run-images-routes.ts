/**
 * A run's images. `POST /api/runs/:id/lanes/:lane/images` takes one finished image from the agent
 * that runs that lane, and no one else: the Bearer token must be the key derived for the lane's own
 * agent (agent-key.ts), that agent must not be revoked, and the run must still be live. The bytes
 * must be PNG, JPEG or WebP, as declared, within the size limit; they are stored by content hash,
 * at most as many distinct ones per lane as its passes make (an image sent again is taken again).
 * `GET /api/runs/:id/images/:sha256` serves an image the run holds to anyone with the run's link.
 */
import { createHash } from "node:crypto";
import { Hono } from "hono";
import { isAgentRevoked } from "../../db/agents.ts";
import { addRunImage, countLaneImages, findLaneOwner, findRunImage } from "../../db/run-images.ts";
import { deriveAgentKey } from "../protocol/agent-key.ts";
import { terminalLaneStatuses, terminalRunStatuses } from "../protocol/enums.ts";
import { type ImageUploadReply, imageParamsSchema, maxImageBytes, sniffImageType } from "../protocol/image.ts";
import { safeEqual } from "../protocol/safe-equal.ts";
import type { ApiDeps } from "./api-deps.ts";
import { ApiError } from "./api-error.ts";
import { bearerToken } from "./bearer-token.ts";
import type { ImageStore } from "./image-store.ts";
import { readBodyBytes } from "./read-body-bytes.ts";

export function createRunImagesRoutes(deps: Pick<ApiDeps, "db" | "agentKeySecret" | "now">, store: ImageStore): Hono {
  const app = new Hono();
  const now = deps.now ?? Date.now;

  app.post("/:id/lanes/:lane/images", async (c) => {
    const runId = c.req.param("id");
    const laneId = c.req.param("lane");
    const owner = findLaneOwner(deps.db, runId, laneId);
    const token = bearerToken(c);
    const refused = new ApiError(
      403,
      "forbidden",
      "Only the agent that runs this lane may upload its images, with its own agent key as Authorization: Bearer <key>.",
    );
    if (!deps.agentKeySecret)
      throw new ApiError(
        503,
        "uploads_unavailable",
        "This coordinator takes no image uploads: it holds no agent-key secret.",
      );
    if (!owner || token === undefined) throw refused;
    if (!safeEqual(token, await deriveAgentKey(deps.agentKeySecret, owner.agentId))) throw refused;
    if (isAgentRevoked(deps.db, owner.agentId))
      throw new ApiError(
        403,
        "agent_revoked",
        `Agent ${owner.agentId} was revoked by the operator; its uploads are refused.`,
      );
    if (
      (terminalRunStatuses as readonly string[]).includes(owner.runStatus) ||
      (terminalLaneStatuses as readonly string[]).includes(owner.laneStatus)
    )
      throw new ApiError(409, "run_finished", `Run ${runId} lane ${laneId} has ended; it takes no more images.`);
    const bytes = await readBodyBytes(
      c.req.raw,
      maxImageBytes,
      new ApiError(413, "too_large", `The image is over ${maxImageBytes} bytes, the limit of this route.`),
    );
    const declared = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
    const mediaType = sniffImageType(bytes);
    if (!mediaType || mediaType !== declared)
      throw new ApiError(
        415,
        "unsupported_media_type",
        `The body must be a PNG, JPEG or WebP image sent with its own Content-Type (got ${declared || "none"}, bytes of ${mediaType ?? "no image type"}).`,
      );
    const sha256 = createHash("sha256").update(bytes).digest("hex");
    const perPass = imageParamsSchema.shape.images.catch(1).parse(owner.params.images);
    const most = perPass * owner.passes;
    if (!findRunImage(deps.db, runId, sha256) && countLaneImages(deps.db, runId, laneId) >= most)
      throw new ApiError(
        409,
        "too_many_images",
        `Lane ${laneId} of run ${runId} already holds ${most} images, all its passes make (${perPass} a pass, ${owner.passes} passes); it takes no more.`,
      );
    await store.put(bytes, () =>
      addRunImage(deps.db, { runId, laneId, sha256, mediaType, bytes: bytes.length, createdAt: now() }),
    );
    return c.json({ sha256, media_type: mediaType, bytes: bytes.length } satisfies ImageUploadReply, 201);
  });

  app.get("/:id/images/:sha256", async (c) => {
    const runId = c.req.param("id");
    const sha256 = c.req.param("sha256");
    const image = /^[0-9a-f]{64}$/.test(sha256) ? findRunImage(deps.db, runId, sha256) : null;
    const bytes = image ? await store.get(sha256) : null;
    if (!image || !bytes)
      throw new ApiError(404, "not_found", `Run ${runId} holds no image ${sha256.slice(0, 64)}; check the link.`);
    return c.body(new Uint8Array(bytes), 200, {
      "content-type": image.mediaType,
      "content-length": String(bytes.length),
      "cache-control": "public, max-age=31536000, immutable",
      "x-content-type-options": "nosniff",
    });
  });

  return app;
}
