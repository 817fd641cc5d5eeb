/**
 * One pass of the image race on ComfyUI: each image is its own prompt (seed + index), submitted
 * with `POST /prompt` and this pass's client id, followed on `/ws?clientId=` (or, once the socket
 * drops, by polling `/history/{id}`), and fetched with `/view` from the file ComfyUI named. Only
 * events come out; the runner times them. Cancel and timeout interrupt the prompt and delete it
 * from the queue.
 */
import { randomInt, randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import type { ImageParams } from "../../../coordinator/protocol/image.ts";
import type { JobError } from "../../../coordinator/protocol/job.ts";
import type { WorkloadEvent } from "../backend.ts";
import { cancelledError, passCancelled } from "../pass-cancelled.ts";
import { buildTxt2ImgWorkflow, imageSeed, saveNodeId } from "./build-txt2img-workflow.ts";
import { classifyComfyError, comfyMalformed, comfyTimeout } from "./comfyui-job-errors.ts";
import { type ComfyFile, checkedFile } from "./comfyui-messages.ts";
import { fetchComfyImage, interruptPrompt, pollHistory, submitPrompt } from "./comfyui-requests.ts";
import { type ComfySocket, openComfySocket } from "./open-comfy-socket.ts";

export interface ComfyPassContext {
  fetchFn: typeof fetch;
  baseUrl: string;
  checkpoint: string;
  params: ImageParams;
  /** how long the socket gets to open before the pass polls history instead; default 5 s */
  socketOpenMs?: number;
  /** milliseconds between history polls; default 500 */
  pollMs?: number;
}

type Followed = { ok: true; file: ComfyFile } | { ok: false; error: JobError };

export async function* runComfyUiPass(ctx: ComfyPassContext, signal: AbortSignal): AsyncGenerator<WorkloadEvent> {
  if (signal.aborted) return yield passCancelled;
  const clientId = randomUUID();
  const wsUrl = `${ctx.baseUrl.replace(/^http/, "ws")}/ws?clientId=${clientId}`;
  const socket = await openComfySocket(wsUrl, ctx.socketOpenMs ?? 5_000, signal);
  if (signal.aborted) {
    socket?.close();
    return yield passCancelled;
  }
  const { params } = ctx;
  const base = params.seed === "random" ? randomInt(0, 2 ** 32) : params.seed;
  try {
    yield { type: "begin" };
    for (let index = 0; index < params.images; index++) {
      const seed = imageSeed(base, index);
      yield { type: "image-submit", index, seed };
      const workflow = buildTxt2ImgWorkflow(ctx.checkpoint, params, seed);
      const submitted = await submitPrompt(ctx.fetchFn, ctx.baseUrl, workflow, clientId, signal);
      if (signal.aborted) return yield passCancelled;
      if (!submitted.ok) return yield { type: "error", error: submitted.error };
      const followed: Followed = yield* followImage(ctx, socket, submitted.promptId, index, signal);
      if (!followed.ok) {
        if (followed.error.code === "cancelled" || followed.error.code === "engine_timeout")
          await interruptPrompt(ctx.fetchFn, ctx.baseUrl, submitted.promptId);
        return yield followed.error.code === "cancelled" ? passCancelled : { type: "error", error: followed.error };
      }
      const image = await fetchComfyImage(ctx.fetchFn, ctx.baseUrl, followed.file, signal);
      if (signal.aborted) return yield passCancelled;
      if (!image.ok) return yield { type: "error", error: image.error };
      const width = image.width ?? params.width;
      const height = image.height ?? params.height;
      yield { type: "image", index, seed, media_type: image.media_type, bytes: image.bytes, width, height };
      yield {
        type: "progress",
        fraction: (index + 1) / params.images,
        line: `image ${index + 1}/${params.images} done (seed ${seed})`,
      };
    }
    yield {
      type: "result",
      metrics: {
        engine: "comfyui",
        checkpoint: ctx.checkpoint,
        steps: params.steps,
        width: params.width,
        height: params.height,
        images: params.images,
        seed: base,
        sampler: params.sampler,
        scheduler: params.scheduler,
        cfg: params.cfg,
      },
    };
  } finally {
    socket?.close();
  }
}

/** Follows one prompt to its finished file, on the socket while it lasts, then through history. */
async function* followImage(
  ctx: ComfyPassContext,
  socket: ComfySocket | null,
  promptId: string,
  index: number,
  signal: AbortSignal,
): AsyncGenerator<WorkloadEvent, Followed> {
  const timeoutMs = ctx.params.image_timeout_s * 1000;
  const deadline = performance.now() + timeoutMs;
  let file: ComfyFile | null = null;
  let open = socket !== null;
  while (open && socket) {
    const item = await socket.next(Math.max(0, deadline - performance.now()), signal);
    if (item.kind === "aborted") return { ok: false, error: cancelledError };
    if (item.kind === "timeout") return { ok: false, error: comfyTimeout(index, ctx.params.image_timeout_s) };
    if (item.kind === "closed") open = false;
    if (item.kind === "preview") yield { type: "image-preview", index, media_type: item.media_type, bytes: item.bytes };
    if (item.kind !== "message" || item.message.type === "status") continue;
    const message = item.message;
    if (message.data.prompt_id !== promptId) continue;
    switch (message.type) {
      case "execution_start":
        yield { type: "image-start", index };
        break;
      case "progress":
        yield { type: "image-step", index, value: message.data.value, max: message.data.max };
        break;
      case "executed": {
        const named = message.data.node === saveNodeId ? message.data.output?.images?.[0] : undefined;
        if (named) file = checkedFile(named);
        if (named && !file)
          return { ok: false, error: comfyMalformed(ctx.baseUrl, "a file name that is not a plain image name") };
        break;
      }
      case "execution_error":
        return {
          ok: false,
          error: classifyComfyError(
            ctx.baseUrl,
            `${message.data.exception_type ?? ""}: ${message.data.exception_message ?? ""}`.replace(/^: /, ""),
          ),
        };
      case "execution_interrupted":
        return {
          ok: false,
          error: {
            code: "engine_error",
            message: "ComfyUI interrupted the image (someone pressed cancel on its queue); start the race again.",
          },
        };
      case "execution_success":
        if (file) return { ok: true, file };
        open = false;
        break;
      case "executing":
        if (message.data.node === null && file) return { ok: true, file };
        break;
    }
  }
  // the socket is gone (or never opened): the prompt's history says how it ended
  for (;;) {
    if (signal.aborted) return { ok: false, error: cancelledError };
    if (performance.now() >= deadline) return { ok: false, error: comfyTimeout(index, ctx.params.image_timeout_s) };
    const polled = await pollHistory(ctx.fetchFn, ctx.baseUrl, promptId, signal);
    if (polled.state === "done")
      return polled.file
        ? { ok: true, file: polled.file }
        : { ok: false, error: comfyMalformed(ctx.baseUrl, "/history without a finished image") };
    if (polled.state === "failed") return { ok: false, error: polled.error };
    await delay(Math.min(ctx.pollMs ?? 500, Math.max(0, deadline - performance.now())), undefined, { signal }).catch(
      () => {},
    );
  }
}
