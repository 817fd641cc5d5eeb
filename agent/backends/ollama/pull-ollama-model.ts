/**
 * Pulls a model into Ollama through `POST /api/pull`, reporting its streamed progress, so the
 * dashboard can offer "pull this model" on a machine that lacks it. Not used by races.
 */
import { z } from "zod";
import { fetchFailureReason } from "../fetch-failure-reason.ts";
import { readErrorBody } from "../read-error-body.ts";
import { readLines } from "../read-lines.ts";

/** One progress line of a pull. */
export interface OllamaPullProgress {
  /** Ollama's words for the step, e.g. "pulling manifest", "pulling 6a0746a1ec1a", "success" */
  status: string;
  /** the layer being downloaded, when the step is a download */
  digest: string | null;
  /** bytes of the layer downloaded so far */
  completed: number | null;
  /** bytes of the layer */
  total: number | null;
}

const pullLineSchema = z.union([
  z.object({ error: z.string() }),
  z.object({
    status: z.string(),
    digest: z.string().optional(),
    completed: z.number().optional(),
    total: z.number().optional(),
  }),
]);

/**
 * Yields each progress line until Ollama says "success". Throws when Ollama cannot be reached,
 * answers an error (at once or mid-stream), or ends the stream before "success".
 */
export async function* pullOllamaModel(
  baseUrl: string,
  name: string,
  fetchFn: typeof fetch,
  signal: AbortSignal,
): AsyncGenerator<OllamaPullProgress> {
  const root = baseUrl.replace(/\/+$/, "");
  let response: Response;
  try {
    const body = JSON.stringify({ model: name, stream: true });
    response = await fetchFn(`${root}/api/pull`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
      signal,
    });
  } catch (err) {
    signal.throwIfAborted();
    throw new Error(`Ollama at ${root} is not reachable (${fetchFailureReason(err)}).`);
  }
  if (!response.ok) throw new Error(`Ollama could not pull ${name}: ${await readErrorBody(response)}`);
  if (!response.body) throw new Error(`Ollama answered the pull of ${name} without a body.`);
  for await (const lines of readLines(response.body, signal)) {
    for (const line of lines) {
      if (line.trim() === "") continue;
      const parsed = pullLineSchema.safeParse(safeJson(line));
      if (!parsed.success) throw new Error(`Ollama sent an unexpected pull line: ${line.slice(0, 200)}`);
      const progress = parsed.data;
      if ("error" in progress) throw new Error(`Ollama could not pull ${name}: ${progress.error}`);
      yield {
        status: progress.status,
        digest: progress.digest ?? null,
        completed: progress.completed ?? null,
        total: progress.total ?? null,
      };
      if (progress.status === "success") return;
    }
  }
  throw new Error(`Ollama's pull of ${name} ended before it said "success".`);
}

function safeJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
