/**
 * Which server answers the OpenAI-compatible API, and its version, for the result's provenance.
 * llama-server has `GET /props` (with `build_info`) and a `Server: llama.cpp` header; vLLM has
 * `GET /version`; LM Studio, Ollama's /v1 and others say neither and stay "openai-compatible".
 */
import { z } from "zod";
import { getJson } from "../get-json.ts";

export interface OpenAiEngine {
  /** "llama.cpp", "vllm" or "openai-compatible" */
  engine: string;
  version: string | null;
}

const propsSchema = z.object({ build_info: z.string() });
const versionSchema = z.object({ version: z.string() });

/** `serverHeader`: the `Server` header of an answer the server already gave, if any. */
export async function detectOpenAiEngine(
  fetchFn: typeof fetch,
  root: string,
  serverHeader: string | null,
  signal: AbortSignal,
): Promise<OpenAiEngine> {
  const props = await getJson(fetchFn, `${root}/props`, propsSchema, signal);
  if (props.ok) return { engine: "llama.cpp", version: props.value.build_info };
  if (serverHeader?.toLowerCase().includes("llama.cpp")) return { engine: "llama.cpp", version: null };
  const version = await getJson(fetchFn, `${root}/version`, versionSchema, signal);
  if (version.ok) return { engine: "vllm", version: version.value.version };
  return { engine: "openai-compatible", version: null };
}
