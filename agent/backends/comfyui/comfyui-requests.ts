/**
 * The HTTP requests of a ComfyUI pass: submit a prompt, poll its history, fetch a finished image
 * by the name ComfyUI gave it, and stop a prompt (interrupt it if it runs, delete it if queued).
 * Failures come back as lane errors, never thrown.
 */
import { type ImageMediaType, maxImageBytes, sniffImageType } from "../../../coordinator/protocol/image.ts";
import type { JobError } from "../../../coordinator/protocol/job.ts";
import { fetchFailureReason } from "../fetch-failure-reason.ts";
import { saveNodeId, type WorkflowNode } from "./build-txt2img-workflow.ts";
import { classifyComfyError, comfyMalformed, comfyUnreachable, promptRefusal } from "./comfyui-job-errors.ts";
import { type ComfyFile, checkedFile, historySchema, promptReplySchema, queueSchema } from "./comfyui-messages.ts";

const json = { "content-type": "application/json" };

export async function submitPrompt(
  fetchFn: typeof fetch,
  baseUrl: string,
  workflow: Record<string, WorkflowNode>,
  clientId: string,
  signal: AbortSignal,
): Promise<{ ok: true; promptId: string } | { ok: false; error: JobError }> {
  let response: Response;
  try {
    const body = JSON.stringify({ prompt: workflow, client_id: clientId });
    response = await fetchFn(`${baseUrl}/prompt`, { method: "POST", headers: json, body, signal });
  } catch (err) {
    return { ok: false, error: comfyUnreachable(baseUrl, fetchFailureReason(err)) };
  }
  const answer: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, error: classifyComfyError(baseUrl, promptRefusal(answer)) };
  const parsed = promptReplySchema.safeParse(answer);
  if (!parsed.success) return { ok: false, error: comfyMalformed(baseUrl, "POST /prompt") };
  return { ok: true, promptId: parsed.data.prompt_id };
}

export type Polled =
  | { state: "pending" }
  | { state: "done"; file: ComfyFile | null }
  | { state: "failed"; error: JobError };

/** One look at `/history/{id}`: pending until ComfyUI lists the prompt as completed or failed. */
export async function pollHistory(
  fetchFn: typeof fetch,
  baseUrl: string,
  promptId: string,
  signal: AbortSignal,
): Promise<Polled> {
  let body: unknown;
  try {
    const response = await fetchFn(`${baseUrl}/history/${encodeURIComponent(promptId)}`, { signal });
    if (!response.ok) return { state: "pending" };
    body = await response.json();
  } catch (err) {
    if (signal.aborted) return { state: "pending" };
    return { state: "failed", error: comfyUnreachable(baseUrl, fetchFailureReason(err)) };
  }
  const parsed = historySchema.safeParse(body);
  if (!parsed.success) return { state: "failed", error: comfyMalformed(baseUrl, `/history/${promptId}`) };
  const entry = parsed.data[promptId];
  if (!entry?.status) return { state: "pending" };
  if (entry.status.status_str === "error") {
    const message = entry.status.messages
      .map((m) => (Array.isArray(m) && m[0] === "execution_error" ? m[1] : null))
      .find((d): d is { exception_message?: string } => d !== null && typeof d === "object");
    return { state: "failed", error: classifyComfyError(baseUrl, message?.exception_message ?? "the prompt failed") };
  }
  if (!entry.status.completed) return { state: "pending" };
  const named = entry.outputs[saveNodeId]?.images?.[0];
  return { state: "done", file: named ? checkedFile(named) : null };
}

export type FetchedImage =
  | { ok: true; media_type: ImageMediaType; bytes: Uint8Array; width: number | null; height: number | null }
  | { ok: false; error: JobError };

/** `GET /view` of a file ComfyUI named (already checked): the bytes, their type and, for PNG, the size. */
export async function fetchComfyImage(
  fetchFn: typeof fetch,
  baseUrl: string,
  file: ComfyFile,
  signal: AbortSignal,
): Promise<FetchedImage> {
  const query = new URLSearchParams({ filename: file.filename, subfolder: file.subfolder, type: file.type });
  let response: Response;
  try {
    response = await fetchFn(`${baseUrl}/view?${query}`, { signal });
  } catch (err) {
    return { ok: false, error: comfyUnreachable(baseUrl, fetchFailureReason(err)) };
  }
  if (!response.ok)
    return { ok: false, error: comfyMalformed(baseUrl, `/view of ${file.filename} (HTTP ${response.status})`) };
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > maxImageBytes) return { ok: false, error: tooLarge(file.filename, declared) };
  const bytes = new Uint8Array(await response.arrayBuffer().catch(() => new ArrayBuffer(0)));
  if (bytes.length > maxImageBytes) return { ok: false, error: tooLarge(file.filename, bytes.length) };
  const media_type = sniffImageType(bytes);
  if (!media_type)
    return {
      ok: false,
      error: comfyMalformed(baseUrl, `/view of ${file.filename} with bytes that are not PNG, JPEG or WebP`),
    };
  const png = media_type === "image/png" ? pngSize(bytes) : null;
  return { ok: true, media_type, bytes, width: png?.width ?? null, height: png?.height ?? null };
}

/**
 * Stops a prompt: `GET /queue` says whether it runs or waits; a running one is interrupted, a
 * waiting one deleted from the queue, so another client's running prompt is never interrupted
 * (older ComfyUI versions interrupt whatever runs, whatever the body names). When the queue cannot
 * be read, both are sent.
 */
export async function interruptPrompt(fetchFn: typeof fetch, baseUrl: string, promptId: string): Promise<void> {
  const queue = await fetchFn(`${baseUrl}/queue`, { signal: AbortSignal.timeout(2_000) })
    .then((r) => r.json())
    .then((body: unknown) => queueSchema.parse(body))
    .catch(() => null);
  const holds = (list: unknown[][] | undefined) => list?.some((entry) => entry[1] === promptId) ?? false;
  const running = queue === null || holds(queue.queue_running);
  const waiting = queue === null || holds(queue.queue_pending);
  const post = (path: string, body: unknown) =>
    fetchFn(`${baseUrl}${path}`, {
      method: "POST",
      headers: json,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(2_000),
    })
      .then((r) => r.body?.cancel())
      .catch(() => {});
  await Promise.all([
    running ? post("/interrupt", { prompt_id: promptId }) : null,
    waiting ? post("/queue", { delete: [promptId] }) : null,
  ]);
}

function tooLarge(filename: string, bytes: number): JobError {
  return {
    code: "engine_error",
    message: `ComfyUI's image ${filename} is ${bytes} bytes, above the ${maxImageBytes}-byte limit; use a smaller width/height.`,
  };
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  if (bytes.length < 24) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
