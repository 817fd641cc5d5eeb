/**
 * `npm run fixtures:record -- <ollama|openai|comfyui> <base url> [--model M] [--case NAME]`: sends the
 * backend's standard streamed chat request to a real engine and writes the raw body bytes to
 * tests/fixtures/backends/<kind>/<case>.txt, for the backend tests to replay; for ComfyUI it records
 * one txt2img prompt's routes and socket frames (record-comfyui-fixture.ts).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { fetchFailureReason } from "../agent/backends/fetch-failure-reason.ts";
import { toOllamaChatRequest } from "../agent/backends/ollama/to-ollama-chat-request.ts";
import { toOpenAiChatRequest } from "../agent/backends/openai/to-openai-chat-request.ts";
import { llmParamsSchema, llmPromptPresets } from "../coordinator/protocol/llm.ts";
import { recordComfyUi } from "./record-comfyui-fixture.ts";

const usage = "usage: npm run fixtures:record -- <ollama|openai|comfyui> <base url> [--model M] [--case NAME]";

/** The standard request: the short preset prompt, 32 tokens, every other param at its default. */
const params = llmParamsSchema.parse({ prompt: llmPromptPresets.short.prompt, max_tokens: 32 });

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { model: { type: "string" }, case: { type: "string", default: "chat-stream" } },
  });
  const [kind, baseUrl] = positionals;
  if (kind === "comfyui" && baseUrl) {
    const recorded = values.case === "chat-stream" ? "success" : values.case;
    return recordComfyUi(baseUrl, { case: recorded, ...(values.model ? { model: values.model } : {}) });
  }
  if ((kind !== "ollama" && kind !== "openai") || !baseUrl) throw new Error(usage);
  const root = baseUrl.replace(/\/+$/, "").replace(/\/v1$/, "");
  const model = values.model ?? (await firstModel(kind, root));
  const [path, body] =
    kind === "ollama"
      ? ["/api/chat", toOllamaChatRequest(model, params)]
      : ["/v1/chat/completions", toOpenAiChatRequest(model, params)];

  const response = await fetch(`${root}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const bytes = new Uint8Array(await response.arrayBuffer());
  const dir = new URL(`../tests/fixtures/backends/${kind}/`, import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${values.case}.txt`, dir);
  writeFileSync(file, bytes);
  process.stdout.write(`POST ${root}${path} (model ${model}) -> HTTP ${response.status}\n`);
  for (const [name, value] of response.headers) process.stdout.write(`  ${name}: ${value}\n`);
  process.stdout.write(`wrote ${bytes.length} bytes to ${file.pathname}\n`);
  if (!response.ok) process.stdout.write("note: the engine answered an error; the body is recorded as it came\n");
}

/** The first model the engine lists, when --model is not given. */
async function firstModel(kind: "ollama" | "openai", root: string): Promise<string> {
  const listing = await fetch(kind === "ollama" ? `${root}/api/tags` : `${root}/v1/models`);
  const json = (await listing.json()) as { models?: { name: string }[]; data?: { id: string }[] };
  const first = kind === "ollama" ? json.models?.[0]?.name : json.data?.[0]?.id;
  if (!first) throw new Error(`${root} lists no model; pass --model`);
  return first;
}

main().catch((err: unknown) => {
  process.stderr.write(`record-fixture: ${fetchFailureReason(err)}\n`);
  process.exitCode = 1;
});
