/**
 * ComfyUI's failures worded for a lane: each says what happened and what to do. An engine error
 * message is classified (GPU arch without kernels, out of memory, missing checkpoint); anything
 * else keeps ComfyUI's own words.
 */
import type { JobError } from "../../../coordinator/protocol/job.ts";

export function comfyUnreachable(baseUrl: string, reason: string): JobError {
  return {
    code: "engine_unreachable",
    message: `ComfyUI at ${baseUrl} is not reachable (${reason}). Start it (python main.py --listen) or pass --comfyui-url.`,
  };
}

export function comfyMissingCheckpoint(baseUrl: string, checkpoint: string, have: readonly string[]): JobError {
  return {
    code: "missing_model",
    message: `ComfyUI at ${baseUrl} has no checkpoint "${checkpoint}" (it has: ${have.join(", ") || "none"}). Put the file in ComfyUI's models/checkpoints folder, or list it in the operator's checkpoints so agents started with --comfyui-checkpoints download it.`,
  };
}

/** Classifies an error text from ComfyUI (an execution_error or a refused prompt). */
export function classifyComfyError(baseUrl: string, raw: string): JobError {
  const text = raw.trim().slice(0, 1000) || "no message";
  if (/no kernel image is available/i.test(text)) {
    return {
      code: "unsupported_gpu",
      message: `ComfyUI's PyTorch has no CUDA kernels for this GPU's architecture ("${text}"). Install a PyTorch build for this GPU (a newer CUDA wheel) in ComfyUI's environment.`,
    };
  }
  if (/out of memory|OutOfMemoryError|CUDA error: out of memory|MPS backend out of memory/i.test(text)) {
    return {
      code: "out_of_memory",
      message: `ComfyUI ran out of GPU memory ("${text}"). Use a smaller width/height, close other GPU programs, or start ComfyUI with --lowvram.`,
    };
  }
  if (/ckpt_name|value not in list/i.test(text)) {
    return {
      code: "missing_model",
      message: `ComfyUI refused the checkpoint ("${text}"). Check that the checkpoint file is in ComfyUI's models/checkpoints folder.`,
    };
  }
  return { code: "engine_error", message: `ComfyUI at ${baseUrl} failed: ${text}` };
}

export function comfyTimeout(index: number, seconds: number): JobError {
  return {
    code: "engine_timeout",
    message: `Image ${index + 1} did not finish within ${seconds} s; ComfyUI was told to stop it. Raise image_timeout_s, or lower steps or the size.`,
  };
}

export function comfyMalformed(baseUrl: string, what: string): JobError {
  return {
    code: "stream_error",
    message: `ComfyUI at ${baseUrl} answered ${what} in an unexpected shape. Is --comfyui-url a ComfyUI server, and is it up to date?`,
  };
}

/** The text of a refused `POST /prompt`: its error message and the first node error's details. */
export function promptRefusal(body: unknown): string {
  if (!body || typeof body !== "object") return String(body);
  const record = body as { error?: { message?: unknown; details?: unknown }; node_errors?: unknown };
  const parts: string[] = [];
  if (typeof record.error?.message === "string") parts.push(record.error.message);
  if (typeof record.error?.details === "string" && record.error.details) parts.push(record.error.details);
  if (record.node_errors && typeof record.node_errors === "object") {
    for (const node of Object.values(record.node_errors as Record<string, { errors?: unknown }>)) {
      for (const err of Array.isArray(node?.errors) ? node.errors : []) {
        if (err && typeof err === "object" && "details" in err && typeof err.details === "string")
          parts.push(err.details);
        else if (err && typeof err === "object" && "message" in err && typeof err.message === "string")
          parts.push(err.message);
      }
    }
  }
  return parts.join(": ") || JSON.stringify(body).slice(0, 500);
}
