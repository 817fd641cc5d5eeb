/**
 * llama.cpp's own timings of a pass, read from the lines `llama_perf_context_print` logs (node-llama-cpp
 * exposes them only as logs). A value llama.cpp did not print stays null.
 */

export interface LlamaTimings {
  /** tokens llama.cpp evaluated as prompt (batches of more than one token) */
  promptTokens: number | null;
  /** milliseconds */
  promptEvalMs: number | null;
  /** milliseconds of single-token evaluations: generation */
  evalMs: number | null;
  /** milliseconds from the last reset to the print */
  totalMs: number | null;
}

/** `lines`: what llama.cpp logged during one `printTimings()`. */
export function parseLlamaTimings(lines: readonly string[]): LlamaTimings {
  const timings: LlamaTimings = { promptTokens: null, promptEvalMs: null, evalMs: null, totalMs: null };
  for (const line of lines.flatMap((l) => l.split("\n"))) {
    const [, label, ms, count] =
      /llama_perf_context_print:\s*([a-z ]+?) time =\s*([\d.]+) ms(?: \/\s*(\d+))?/.exec(line) ?? [];
    if (label === undefined || ms === undefined) continue;
    if (label === "prompt eval") {
      timings.promptEvalMs = Number(ms);
      timings.promptTokens = count === undefined ? null : Number(count);
    } else if (label === "eval") timings.evalMs = Number(ms);
    else if (label === "total") timings.totalMs = Number(ms);
  }
  return timings;
}
