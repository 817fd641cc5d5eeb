/**
 * node-llama-cpp is an optional install (`scripts/install-llamacpp.mjs` puts it in node_modules/.llamacpp,
 * out of package.json). This loads it at run time and names the small part of its API the backend uses,
 * so the project type-checks and runs without it.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The one command that adds the engine, run from the project's root. */
export const llamacppInstallCommand = "node scripts/install-llamacpp.mjs";

/** a token id of the model's vocabulary */
export type LlamaToken = number;

export interface NodeLlamaCpp {
  /** node-llama-cpp's package version */
  version: string;
  getLlama(options: {
    build: "never";
    gpu: "auto";
    progressLogs: false;
    logLevel: "info";
    logger: (level: string, message: string) => void;
  }): Promise<Llama>;
  resolveChatWrapper(model: LlamaModel): ChatWrapper;
}

export interface Llama {
  /** "cuda", "vulkan", "metal", or false on the CPU */
  readonly gpu: string | false;
  readonly llamaCppRelease: { readonly release: string };
  loadModel(options: { modelPath: string; loadSignal?: AbortSignal }): Promise<LlamaModel>;
  dispose(): Promise<void>;
}

export interface LlamaModel {
  readonly tokenizer: unknown;
  detokenize(tokens: readonly LlamaToken[], specialTokens?: boolean, lastTokens?: readonly LlamaToken[]): string;
  createContext(options: {
    contextSize: number;
    sequences: 1;
    threads?: number;
    performanceTracking: true;
    createSignal?: AbortSignal;
  }): Promise<LlamaContext>;
  dispose(): Promise<void>;
}

export interface LlamaContext {
  getSequence(): LlamaContextSequence;
  /** logs llama.cpp's timings since the last call (through the `logger` given to getLlama), then resets them */
  printTimings(): Promise<void>;
  dispose(): Promise<void>;
}

export interface LlamaContextSequence {
  readonly contextTokens: readonly LlamaToken[];
  readonly nextTokenIndex: number;
  /** appends `tokens`, then yields each token it samples; ends at an end-of-generation token */
  evaluate(tokens: LlamaToken[], options: { temperature: number; seed: number }): AsyncGenerator<LlamaToken, void>;
  clearHistory(): Promise<void>;
  eraseContextTokenRanges(ranges: { start: number; end: number }[]): Promise<void>;
}

export interface ChatWrapper {
  generateContextState(options: { chatHistory: ChatHistoryItem[] }): {
    contextText: { tokenize(tokenizer: unknown): LlamaToken[] };
  };
}

export type ChatHistoryItem =
  | { type: "system"; text: string }
  | { type: "user"; text: string }
  | { type: "model"; response: string[] };

/**
 * node-llama-cpp from node_modules/.llamacpp, or from the project's own node_modules when it was installed
 * there; null when it is in neither.
 */
export async function loadNodeLlamaCpp(): Promise<NodeLlamaCpp | null> {
  const prefix = fileURLToPath(new URL("../../../node_modules/.llamacpp/package.json", import.meta.url));
  let entry: string;
  try {
    // from node_modules/.llamacpp, resolution also looks in the project's node_modules
    entry = createRequire(prefix).resolve("node-llama-cpp");
  } catch {
    return null;
  }
  const module: Omit<NodeLlamaCpp, "version"> = await import(pathToFileURL(entry).href);
  // dist/index.js -> the package's root
  const manifest = JSON.parse(await readFile(join(dirname(dirname(entry)), "package.json"), "utf8"));
  return {
    version: String(manifest.version),
    getLlama: module.getLlama,
    resolveChatWrapper: module.resolveChatWrapper,
  };
}
