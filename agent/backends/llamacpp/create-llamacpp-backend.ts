/**
 * llama.cpp embedded in the agent's process (through node-llama-cpp), running the GGUF files of one
 * folder. `prepare` loads the model, creates a context of `num_ctx` tokens and templates the prompt,
 * all outside the timed window; each pass then only evaluates.
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { BackendProbe } from "../../../coordinator/protocol/hardware.ts";
import type { JobError, JobErrorCode } from "../../../coordinator/protocol/job.ts";
import type { LlmParams } from "../../../coordinator/protocol/llm.ts";
import type { Logger } from "../../../coordinator/protocol/logger.ts";
import type { Backend, BackendJob, Prepared } from "../backend.ts";
import { parseLlmJob } from "../parse-llm-job.ts";
import { cancelledError } from "../pass-cancelled.ts";
import { captureLlamaTimings, getLlamaEngine, type LlamaEngine } from "./get-llama-engine.ts";
import { hashGgufIdentity } from "./hash-gguf-identity.ts";
import { listGgufModels } from "./list-gguf-models.ts";
import {
  type ChatHistoryItem,
  type LlamaContext,
  type LlamaModel,
  type LlamaToken,
  llamacppInstallCommand,
  loadNodeLlamaCpp,
  type NodeLlamaCpp,
} from "./load-node-llama-cpp.ts";
import { parseLlamaTimings } from "./parse-llama-timings.ts";
import { type LlamacppSession, llamacppEngine, runLlamacppPass } from "./run-llamacpp-pass.ts";

export interface LlamaCppBackendOptions {
  /** the folder whose `*.gguf` files are the models, named by file name */
  ggufDir: string;
  /** CPU threads llama.cpp computes with; default: node-llama-cpp's choice (the machine's math cores) */
  threads?: number;
  /** finds node-llama-cpp; null when it is not installed */
  loadNodeLlamaCpp?: () => Promise<NodeLlamaCpp | null>;
  log?: Logger;
}

type Loaded<T> = { ok: true; value: T } | { ok: false; error: JobError };

const fail = (code: JobErrorCode, message: string) => ({ ok: false as const, error: { code, message } });

export function createLlamaCppBackend(options: LlamaCppBackendOptions): Backend {
  const { ggufDir } = options;
  const findBinding = options.loadNodeLlamaCpp ?? loadNodeLlamaCpp;

  /** node-llama-cpp and the process's Llama; a failure is tried again on the next call */
  async function getEngine(): Promise<Loaded<{ binding: NodeLlamaCpp } & LlamaEngine>> {
    try {
      const binding = await findBinding();
      if (!binding) {
        const message = `node-llama-cpp is not installed. Add it with \`${llamacppInstallCommand}\` from the project's folder.`;
        return fail("engine_unreachable", message);
      }
      return { ok: true, value: { binding, ...(await getLlamaEngine(binding, options.log)) } };
    } catch (error) {
      const message = `node-llama-cpp could not start llama.cpp (${reasonOf(error)}). Reinstall it with \`${llamacppInstallCommand}\`.`;
      return fail("engine_unreachable", message);
    }
  }

  async function probe(): Promise<BackendProbe> {
    const loaded = await getEngine();
    if (!loaded.ok) return { reachable: false, version: null, models: [], error: loaded.error.message };
    try {
      return { reachable: true, version: loaded.value.version, models: await listGgufModels(ggufDir) };
    } catch (error) {
      return { reachable: false, version: loaded.value.version, models: [], error: folderUnreadable(error) };
    }
  }

  async function prepare(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    const prepared = await prepareJob(job, signal);
    return !prepared.ok && signal.aborted ? { ok: false, error: cancelledError } : prepared;
  }

  async function prepareJob(job: BackendJob, signal: AbortSignal): Promise<Prepared> {
    const parsed = parseLlmJob(job, "llamacpp");
    if (!parsed.ok) return parsed;
    const { model: name, params } = parsed;
    if (/[/\\]/.test(name) || name === "." || name === ".." || name.includes("\0")) {
      const message = `model: "${name}" must be the name of a .gguf file directly inside the GGUF folder (no path separators, no "..")`;
      return fail("invalid_params", message);
    }
    const loaded = await getEngine();
    if (!loaded.ok) return loaded;
    const { binding, llama, version } = loaded.value;
    const path = join(ggufDir, name);
    const file = await stat(path).catch(() => null);
    if (!file?.isFile()) return { ok: false, error: await missingModel(name) };
    let digest: string;
    try {
      digest = await hashGgufIdentity(path);
    } catch (error) {
      return fail("engine_error", `${name} is not a usable GGUF file: ${reasonOf(error)}`);
    }

    let model: LlamaModel;
    try {
      model = await llama.loadModel({ modelPath: path, loadSignal: signal });
    } catch (error) {
      return fail("engine_error", `llama.cpp could not load ${name}: ${reasonOf(error)}`);
    }
    let promptTokens: LlamaToken[];
    try {
      promptTokens = templatePrompt(binding, model, params);
    } catch (error) {
      await model.dispose();
      return fail("engine_error", `llama.cpp could not template the prompt for ${name}: ${reasonOf(error)}`);
    }
    if (promptTokens.length + params.max_tokens > params.num_ctx) {
      await model.dispose();
      const message = `the prompt (${promptTokens.length} tokens with ${name}'s chat template) and max_tokens (${params.max_tokens}) do not fit in num_ctx (${params.num_ctx}); raise num_ctx or shorten the prompt`;
      return fail("invalid_params", message);
    }
    const opened = await openSession(model, name, params, promptTokens, signal);
    if (!opened.ok) {
      await model.dispose();
      return opened;
    }
    const { session, context } = opened.value;
    options.log?.info("model loaded", {
      model: name,
      num_ctx: params.num_ctx,
      prompt_tokens: session.promptTokens.length,
    });
    return {
      ok: true,
      job: {
        engine: {
          engine: llamacppEngine,
          engine_version: version,
          model_digest: digest,
          remote_engine: false,
          engine_host: null,
        },
        run: (_pass, passSignal) => runLlamacppPass(session, passSignal),
        dispose: async () => {
          await session.idle();
          await context.dispose();
          await model.dispose();
        },
      },
    };
  }

  /** A context of `num_ctx` tokens with one sequence, for the passes of one job. */
  async function openSession(
    model: LlamaModel,
    name: string,
    params: LlmParams,
    promptTokens: LlamaToken[],
    signal: AbortSignal,
  ): Promise<Loaded<{ session: LlamacppSession; context: LlamaContext }>> {
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: params.num_ctx,
        sequences: 1,
        threads: options.threads,
        performanceTracking: true,
        createSignal: signal,
      });
    } catch (error) {
      const message = `llama.cpp could not create a ${params.num_ctx}-token context for ${name}: ${reasonOf(error)}`;
      return fail("engine_error", message);
    }
    let settling: Promise<unknown> = Promise.resolve();
    const session: LlamacppSession = {
      model,
      sequence: context.getSequence(),
      promptTokens,
      modelName: name,
      params,
      takeTimings: async () => parseLlamaTimings(await captureLlamaTimings(() => context.printTimings())),
      idle: async () => {
        await settling;
      },
      settle: (work) => {
        settling = work;
      },
    };
    return { ok: true, value: { session, context } };
  }

  async function missingModel(name: string): Promise<JobError> {
    const names = await readdir(ggufDir).catch(() => null);
    if (!names) return { code: "missing_model", message: `${name}: ${folderUnreadable(null)}` };
    const have = names.filter((n) => n.toLowerCase().endsWith(".gguf")).sort();
    return {
      code: "missing_model",
      message: `The GGUF folder ${ggufDir} has no model "${name}" (it has: ${have.join(", ") || "none"}). Put the .gguf file there or pass --gguf-dir.`,
    };
  }

  function folderUnreadable(error: unknown): string {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    return `the GGUF folder ${ggufDir} cannot be read${code ? ` (${code})` : ""}. Create it or pass --gguf-dir.`;
  }

  return { kind: "llamacpp", probe, prepare };
}

/** The lane's messages through the model's own chat template, as a chat API would send them. */
function templatePrompt(binding: NodeLlamaCpp, model: LlamaModel, params: LlmParams): LlamaToken[] {
  const history: ChatHistoryItem[] = [
    ...(params.system ? [{ type: "system" as const, text: params.system }] : []),
    { type: "user", text: params.prompt },
    { type: "model", response: [] },
  ];
  return binding
    .resolveChatWrapper(model)
    .generateContextState({ chatHistory: history })
    .contextText.tokenize(model.tokenizer);
}

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
