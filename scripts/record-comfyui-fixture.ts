/**
 * Records a real ComfyUI for the stand-in and the backend tests: `/system_stats`, the checkpoint
 * loader's `/object_info`, one txt2img prompt's `/prompt` answer and every socket frame until it
 * ends (binary previews as base64 with their two header numbers), and the refusal of a checkpoint
 * ComfyUI lacks. Prompt ids become PROMPT_ID and the missing name CHECKPOINT, as the stand-in expects.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { WebSocket } from "ws";
import { buildTxt2ImgWorkflow } from "../agent/backends/comfyui/build-txt2img-workflow.ts";
import { imageParamsSchema } from "../coordinator/protocol/image.ts";

const params = imageParamsSchema.parse({ prompt: "a lighthouse at dusk, oil painting", steps: 4, seed: 42 });
const missingName = "bench-race-missing.safetensors";

export async function recordComfyUi(baseUrl: string, options: { model?: string; case: string }): Promise<void> {
  const root = baseUrl.replace(/\/+$/, "");
  const dir = new URL("../tests/fixtures/backends/comfyui/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  const write = (name: string, text: string) => {
    writeFileSync(new URL(name, dir), text);
    process.stdout.write(`wrote ${new URL(name, dir).pathname}\n`);
  };
  const getText = async (path: string) => (await fetch(`${root}${path}`)).text();
  write("system-stats.json", await getText("/system_stats"));
  const info = await getText("/object_info/CheckpointLoaderSimple");
  write("object-info-checkpoint.json", info);
  const model = options.model ?? firstCheckpoint(info);

  const clientId = randomUUID();
  const socket = new WebSocket(`${root.replace(/^http/, "ws")}/ws?clientId=${clientId}`);
  await new Promise((resolve, reject) => socket.once("open", resolve).once("error", reject));
  const frames: string[] = [];
  let promptId = "";
  const ended = new Promise<void>((resolve) => {
    socket.on("message", (data, isBinary) => {
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        frames.push(
          JSON.stringify({
            kind: "binary",
            event: bytes.readUInt32BE(0),
            image_type: bytes.readUInt32BE(4),
            base64: bytes.subarray(8).toString("base64"),
          }),
        );
        return;
      }
      const message = JSON.parse(bytes.toString("utf8")) as { type: string; data?: { prompt_id?: string } };
      frames.push(JSON.stringify({ kind: "text", data: message }));
      const ends = ["execution_success", "execution_error", "execution_interrupted"].includes(message.type);
      if (ends && message.data?.prompt_id === promptId) resolve();
    });
  });
  const submit = (ckpt: string) =>
    fetch(`${root}/prompt`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ prompt: buildTxt2ImgWorkflow(ckpt, params, params.seed as number), client_id: clientId }),
    });
  const reply = await (await submit(model)).text();
  promptId = (JSON.parse(reply) as { prompt_id: string }).prompt_id;
  write("prompt-reply.json", reply.replaceAll(promptId, "PROMPT_ID"));
  await ended;
  socket.close();
  write(`ws-${options.case}.ndjson`, `${frames.join("\n").replaceAll(promptId, "PROMPT_ID")}\n`);
  const refusal = await (await submit(missingName)).text();
  write("prompt-missing-checkpoint.json", refusal.replaceAll(missingName, "CHECKPOINT"));
  process.stdout.write(`recorded checkpoint ${model}, ${frames.length} socket frames\n`);
}

function firstCheckpoint(info: string): string {
  const ckpt = (JSON.parse(info) as { CheckpointLoaderSimple: { input: { required: { ckpt_name: unknown[] } } } })
    .CheckpointLoaderSimple.input.required.ckpt_name;
  const list = Array.isArray(ckpt[0]) ? ckpt[0] : ((ckpt[1] as { options?: unknown[] })?.options ?? []);
  const first = list.find((name): name is string => typeof name === "string");
  if (!first) throw new Error("ComfyUI lists no checkpoint; put one in models/checkpoints or pass --model");
  return first;
}
