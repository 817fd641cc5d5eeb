/**
 * Uploads a finished image of a lane to the coordinator's artifacts route with the agent's own key,
 * retrying a few times on a failed connection or a 5xx, and checks that the stored hash is the
 * hash of the bytes sent. Never throws: the runner fails the pass with the reason instead.
 */
import { createHash } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { imageUploadReplySchema } from "../coordinator/protocol/image.ts";
import { fetchFailureReason } from "./backends/fetch-failure-reason.ts";
import { readErrorBody } from "./backends/read-error-body.ts";
import type { FinishedImage, ImageUploaded } from "./runner.ts";

export interface ImageUpload {
  coordinatorUrl: string;
  agentKey: string;
  runId: string;
  laneId: string;
  image: FinishedImage;
  fetch?: typeof fetch;
  /** attempts in all; default 3 */
  attempts?: number;
  /** milliseconds before the second attempt, doubling after; default 500 */
  backoffMs?: number;
}

export async function uploadImage(upload: ImageUpload): Promise<ImageUploaded> {
  const fetchFn = upload.fetch ?? fetch;
  const url = new URL(
    `/api/runs/${encodeURIComponent(upload.runId)}/lanes/${encodeURIComponent(upload.laneId)}/images`,
    upload.coordinatorUrl,
  );
  const sha256 = createHash("sha256").update(upload.image.bytes).digest("hex");
  const attempts = upload.attempts ?? 3;
  let reason = "";
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await delay((upload.backoffMs ?? 500) * 2 ** (attempt - 1));
    let response: Response;
    try {
      response = await fetchFn(url, {
        method: "POST",
        headers: { authorization: `Bearer ${upload.agentKey}`, "content-type": upload.image.media_type },
        body: new Uint8Array(upload.image.bytes),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (err) {
      reason = `the coordinator at ${url.origin} did not answer (${fetchFailureReason(err)})`;
      continue;
    }
    if (response.status >= 500) {
      reason = `the coordinator answered HTTP ${response.status}: ${await readErrorBody(response)}`;
      continue;
    }
    if (!response.ok)
      return {
        ok: false,
        message: `the coordinator refused it (HTTP ${response.status}: ${await readErrorBody(response)})`,
      };
    const reply = imageUploadReplySchema.safeParse(await response.json().catch(() => null));
    if (!reply.success)
      return {
        ok: false,
        message: "the coordinator's answer was not an upload receipt; is it the same version as this agent?",
      };
    if (reply.data.sha256 !== sha256)
      return {
        ok: false,
        message: `the coordinator stored a different hash (${reply.data.sha256}) than the image's (${sha256})`,
      };
    return { ok: true, sha256 };
  }
  return { ok: false, message: `${reason}; check that the coordinator is up` };
}
