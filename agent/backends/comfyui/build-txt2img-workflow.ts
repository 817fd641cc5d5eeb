/**
 * The txt2img workflow every image lane runs, in ComfyUI's API format (node id -> class_type and
 * inputs): checkpoint loader, positive and negative CLIP text encodes, an empty latent, KSampler,
 * VAE decode and a save node. One image per prompt, so each image is queued and timed on its own.
 */
import type { ImageParams } from "../../../coordinator/protocol/image.ts";

/** The node whose `executed` output lists the finished image. */
export const saveNodeId = "9";
/** The node whose step progress is the image's sampling. */
export const samplerNodeId = "3";

export interface WorkflowNode {
  class_type: string;
  inputs: Record<string, unknown>;
}

export function buildTxt2ImgWorkflow(
  checkpoint: string,
  params: ImageParams,
  seed: number,
): Record<string, WorkflowNode> {
  return {
    "4": { class_type: "CheckpointLoaderSimple", inputs: { ckpt_name: checkpoint } },
    "6": { class_type: "CLIPTextEncode", inputs: { text: params.prompt, clip: ["4", 1] } },
    "7": { class_type: "CLIPTextEncode", inputs: { text: params.negative_prompt, clip: ["4", 1] } },
    "5": { class_type: "EmptyLatentImage", inputs: { width: params.width, height: params.height, batch_size: 1 } },
    [samplerNodeId]: {
      class_type: "KSampler",
      inputs: {
        seed,
        steps: params.steps,
        cfg: params.cfg,
        sampler_name: params.sampler,
        scheduler: params.scheduler,
        denoise: 1,
        model: ["4", 0],
        positive: ["6", 0],
        negative: ["7", 0],
        latent_image: ["5", 0],
      },
    },
    "8": { class_type: "VAEDecode", inputs: { samples: [samplerNodeId, 0], vae: ["4", 2] } },
    [saveNodeId]: { class_type: "SaveImage", inputs: { filename_prefix: "bench-race", images: ["8", 0] } },
  };
}

/** The seed of image `index`: the pass's base seed plus the index, so every lane samples the same images. */
export const imageSeed = (base: number, index: number): number => base + index;
