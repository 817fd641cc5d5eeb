/**
 * llama.cpp has one log callback per process, and its timings reach JavaScript only through it. So the
 * process keeps one Llama per node-llama-cpp, and one capture of llama.cpp's timing lines, used by one
 * pass at a time (an agent runs passes one after another).
 */
import type { Logger } from "../../../coordinator/protocol/logger.ts";
import type { Llama, NodeLlamaCpp } from "./load-node-llama-cpp.ts";

export interface LlamaEngine {
  llama: Llama;
  /** e.g. "node-llama-cpp 3.21.1, llama.cpp v0.4.0 (cpu)" */
  version: string;
}

/** keyed by `getLlama`, the same function however often node-llama-cpp is loaded */
const engines = new WeakMap<NodeLlamaCpp["getLlama"], Promise<LlamaEngine>>();
let timingLines: string[] | null = null;

/** The process's Llama; llama.cpp's warnings go to `log` of the first caller. A failure is retried on the next call. */
export function getLlamaEngine(binding: NodeLlamaCpp, log?: Logger): Promise<LlamaEngine> {
  let engine = engines.get(binding.getLlama);
  if (!engine) {
    engine = startLlama(binding, log);
    engines.set(binding.getLlama, engine);
    engine.catch(() => engines.delete(binding.getLlama));
  }
  return engine;
}

/** The lines llama.cpp logs about its timings while `print` runs. */
export async function captureLlamaTimings(print: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  timingLines = lines;
  try {
    await print();
  } finally {
    timingLines = null;
  }
  return lines;
}

async function startLlama(binding: NodeLlamaCpp, log: Logger | undefined): Promise<LlamaEngine> {
  const llama = await binding.getLlama({
    build: "never",
    gpu: "auto",
    progressLogs: false,
    logLevel: "info",
    logger: (level, message) => {
      if (message.includes("llama_perf_context_print")) timingLines?.push(message);
      else if (level === "warn" || level === "error" || level === "fatal") log?.warn(`llama.cpp: ${message.trim()}`);
    },
  });
  const version = `node-llama-cpp ${binding.version}, llama.cpp ${llama.llamaCppRelease.release} (${llama.gpu || "cpu"})`;
  return { llama, version };
}
