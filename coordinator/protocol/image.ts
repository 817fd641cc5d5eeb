/**
 * The image workload: the txt2img parameters every lane runs (the lane's model is the checkpoint),
 * the reference a result keeps to each stored image, and the bounds of previews and uploads. Shared
 * by the API (validation), the agent's ComfyUI backend and the web form.
 */
import { z } from "zod";

/** Width and height presets, in pixels. */
export const imageSizes = [512, 768, 1024] as const;
/** Most sampling steps one image may take. */
export const imageMaxSteps = 150;
/** Most images one pass may generate. */
export const imageMaxImages = 16;
/** Longest prompt or negative prompt, in characters. */
export const imageMaxPromptChars = 10_000;
/** Largest finished image the API stores, in bytes. */
export const maxImageBytes = 32 * 1024 * 1024;
/** Largest live preview relayed to viewers, in bytes (ComfyUI's previews are small JPEGs). */
export const maxPreviewBytes = 256 * 1024;
/** Default time one image may take before its lane ends with an error, in seconds. */
export const defaultImageTimeoutS = 300;

/** The samplers and schedulers offered (a subset of ComfyUI's KSampler choices). */
export const imageSamplers = [
  "euler",
  "euler_ancestral",
  "heun",
  "dpm_2",
  "dpmpp_2m",
  "dpmpp_sde",
  "ddim",
  "uni_pc",
] as const;
export const imageSchedulers = ["normal", "karras", "exponential", "sgm_uniform", "simple", "ddim_uniform"] as const;

/** Media types an image may be stored and served as. */
export const imageMediaTypes = ["image/png", "image/jpeg", "image/webp"] as const;
export const imageMediaTypeSchema = z.enum(imageMediaTypes);
export type ImageMediaType = z.infer<typeof imageMediaTypeSchema>;

const size = (name: string) =>
  z
    .number({ error: `${name} must be a number` })
    .refine((v) => (imageSizes as readonly number[]).includes(v), {
      error: `${name} must be one of ${imageSizes.join(", ")} pixels`,
    })
    .default(512);

export const imageParamsSchema = z.object({
  prompt: z
    .string({ error: (issue) => (issue.input === undefined ? "prompt is required" : "prompt must be text") })
    .min(1, { error: "prompt must not be empty" })
    .max(imageMaxPromptChars, { error: `prompt must be at most ${imageMaxPromptChars} characters` }),
  negative_prompt: z.string().max(imageMaxPromptChars).default(""),
  steps: z
    .number({ error: "steps must be a number" })
    .int({ error: "steps must be a whole number" })
    .min(1, { error: "steps must be at least 1" })
    .max(imageMaxSteps, { error: `steps must be at most ${imageMaxSteps}` })
    .default(30),
  width: size("width"),
  height: size("height"),
  /** a fixed seed (image i of a pass uses seed + i), or "random" for a new seed per pass */
  seed: z
    .union([
      z
        .number()
        .int({ error: "seed must be a whole number" })
        .min(0)
        .max(2 ** 48),
      z.literal("random"),
    ])
    .default(42),
  sampler: z.enum(imageSamplers, { error: `sampler must be one of ${imageSamplers.join(", ")}` }).default("euler"),
  scheduler: z
    .enum(imageSchedulers, { error: `scheduler must be one of ${imageSchedulers.join(", ")}` })
    .default("normal"),
  cfg: z
    .number({ error: "cfg must be a number" })
    .min(0, { error: "cfg must be at least 0" })
    .max(30, { error: "cfg must be at most 30" })
    .default(7),
  /** images generated one after another in each pass, each timed on its own */
  images: z
    .number({ error: "images must be a number" })
    .int({ error: "images must be a whole number" })
    .min(1, { error: "images must be at least 1" })
    .max(imageMaxImages, { error: `images must be at most ${imageMaxImages}` })
    .default(1),
  /** seconds one image may take before the lane ends with an error */
  image_timeout_s: z
    .number({ error: "image_timeout_s must be a number" })
    .min(1, { error: "image_timeout_s must be at least 1" })
    .max(3600, { error: "image_timeout_s must be at most 3600" })
    .default(defaultImageTimeoutS),
});
export type ImageParams = z.infer<typeof imageParamsSchema>;

/** A finished image as a result references it; the bytes are served by `GET /api/runs/:id/images/:sha256`. */
export const imageRefSchema = z.object({
  /** content hash of the stored bytes, lowercase hex */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  media_type: imageMediaTypeSchema,
  /** pixels */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** 0-based position of the image within its pass */
  index: z.number().int().nonnegative(),
  /** the seed it was sampled with */
  seed: z.number().int().nonnegative(),
  /** milliseconds from the start of its execution to its finished output, agent clock */
  gen_ms: z.number().nonnegative(),
});
export type ImageRef = z.infer<typeof imageRefSchema>;

/** What the artifacts route answers an agent's upload. */
export const imageUploadReplySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  media_type: imageMediaTypeSchema,
  bytes: z.number().int().positive(),
});
export type ImageUploadReply = z.infer<typeof imageUploadReplySchema>;

/** The media type of image bytes from their signature, or null when they are none of PNG, JPEG, WebP. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | null {
  const at = (i: number) => bytes[i] ?? -1;
  if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return "image/png";
  if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return "image/jpeg";
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  return null;
}
