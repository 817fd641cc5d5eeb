/**
 * ComfyUI's answers as zod schemas, from its server.py and websocket messages: `/prompt`,
 * `/history/{id}`, `/system_stats`, `/object_info/{node}`, the JSON socket messages and the binary
 * preview frame (4-byte big-endian event type, 4-byte image type, then the image bytes).
 */
import { z } from "zod";
import type { ImageMediaType } from "../../../coordinator/protocol/image.ts";

/** A file ComfyUI wrote, as its `executed` message and history name it. */
export const comfyFileSchema = z.object({
  filename: z.string(),
  subfolder: z.string().default(""),
  type: z.string().default("output"),
});
export type ComfyFile = z.infer<typeof comfyFileSchema>;

/** `GET /queue`: entries are `[number, prompt_id, prompt, extra_data, outputs_to_execute]`. */
export const queueSchema = z.object({
  queue_running: z.array(z.array(z.unknown())),
  queue_pending: z.array(z.array(z.unknown())),
});

export const promptReplySchema = z.object({ prompt_id: z.string().min(1), number: z.number().optional() });

const promptData = { prompt_id: z.string() };
export const socketMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("status"), data: z.unknown() }),
  z.object({ type: z.literal("execution_start"), data: z.object(promptData) }),
  z.object({ type: z.literal("execution_cached"), data: z.object(promptData) }),
  z.object({ type: z.literal("executing"), data: z.object({ ...promptData, node: z.string().nullable() }) }),
  z.object({
    type: z.literal("progress"),
    data: z.object({ ...promptData, value: z.number(), max: z.number(), node: z.string().nullish() }),
  }),
  z.object({
    type: z.literal("executed"),
    data: z.object({
      ...promptData,
      node: z.string(),
      output: z.object({ images: z.array(comfyFileSchema).optional() }).nullable(),
    }),
  }),
  z.object({ type: z.literal("execution_success"), data: z.object(promptData) }),
  z.object({
    type: z.literal("execution_error"),
    data: z.object({
      ...promptData,
      node_type: z.string().optional(),
      exception_type: z.string().optional(),
      exception_message: z.string().optional(),
    }),
  }),
  z.object({ type: z.literal("execution_interrupted"), data: z.object(promptData) }),
]);
export type SocketMessage = z.infer<typeof socketMessageSchema>;

/** `GET /history/{id}`: absent until the prompt ran; `status.completed` once it ended. */
export const historySchema = z.record(
  z.string(),
  z.object({
    outputs: z.record(z.string(), z.object({ images: z.array(comfyFileSchema).optional() })).default({}),
    status: z
      .object({ status_str: z.string(), completed: z.boolean(), messages: z.array(z.unknown()).default([]) })
      .optional(),
  }),
);

export const systemStatsSchema = z.object({
  system: z.object({
    comfyui_version: z.string().optional(),
    pytorch_version: z.string().optional(),
  }),
  devices: z
    .array(z.object({ name: z.string(), type: z.string().optional(), vram_total: z.number().optional() }))
    .default([]),
});

/**
 * `GET /object_info/CheckpointLoaderSimple`: `ckpt_name` is `[[choices], {...}]` in older versions
 * and `["COMBO", { options: [choices] }]` in newer ones.
 */
export const checkpointInfoSchema = z.object({
  CheckpointLoaderSimple: z.object({
    input: z.object({ required: z.object({ ckpt_name: z.array(z.unknown()).min(1) }) }),
  }),
});

export function checkpointChoices(info: z.infer<typeof checkpointInfoSchema>): string[] {
  const [first, second] = info.CheckpointLoaderSimple.input.required.ckpt_name;
  const list = Array.isArray(first)
    ? first
    : second && typeof second === "object" && "options" in second && Array.isArray(second.options)
      ? second.options
      : [];
  return list.filter((name): name is string => typeof name === "string");
}

/** A binary socket frame decoded; null when it is not a preview image. */
export function parsePreviewFrame(frame: Uint8Array): { media_type: ImageMediaType; bytes: Uint8Array } | null {
  if (frame.length <= 8) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0) !== 1) return null;
  const imageType = view.getUint32(4);
  const media_type = imageType === 1 ? "image/jpeg" : imageType === 2 ? "image/png" : null;
  return media_type ? { media_type, bytes: frame.subarray(8) } : null;
}

/**
 * A file reference from ComfyUI checked before it goes into a `/view` query: a plain file name of
 * an image, a subfolder without `..` or a leading slash, and an output or temp folder. null when
 * it fails any of these.
 */
export function checkedFile(file: ComfyFile): ComfyFile | null {
  if (!/^[\w. ()+-]{1,200}\.(png|jpe?g|webp)$/i.test(file.filename)) return null;
  if (file.subfolder.length > 200 || /(^|[\\/])\.\.([\\/]|$)|^[\\/]|\\|:/.test(file.subfolder)) return null;
  if (file.type !== "output" && file.type !== "temp") return null;
  return file;
}
