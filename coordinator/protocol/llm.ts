/**
 * Parameters of the LLM workload and their bounds, shared by the API (validation), the agent's
 * backends (what to send) and the web form (same checks before sending). Prompt caching is off by
 * default so every pass really measures prompt processing.
 */
import { z } from "zod";

/** Longest prompt accepted, in characters. */
export const llmMaxPromptChars = 100_000;
/** Most tokens one pass may generate. */
export const llmMaxTokens = 32_768;
/** Largest context window one pass may ask for, in tokens. */
export const llmMaxContext = 262_144;

export const llmParamsSchema = z
  .object({
    prompt: z
      .string({ error: (issue) => (issue.input === undefined ? "prompt is required" : "prompt must be text") })
      .min(1, { error: "prompt must not be empty" })
      .max(llmMaxPromptChars, { error: `prompt must be at most ${llmMaxPromptChars.toLocaleString("en")} characters` }),
    /** optional system message */
    system: z.string().max(llmMaxPromptChars).optional(),
    /** most tokens to generate */
    max_tokens: z
      .number({ error: "max_tokens must be a number" })
      .int({ error: "max_tokens must be a whole number" })
      .min(1, { error: "max_tokens must be at least 1" })
      .max(llmMaxTokens, { error: `max_tokens must be at most ${llmMaxTokens}` })
      .default(256),
    /** context window in tokens */
    num_ctx: z
      .number({ error: "num_ctx must be a number" })
      .int({ error: "num_ctx must be a whole number" })
      .min(256, { error: "num_ctx must be at least 256" })
      .max(llmMaxContext, { error: `num_ctx must be at most ${llmMaxContext}` })
      .default(4096),
    temperature: z
      .number({ error: "temperature must be a number" })
      .min(0, { error: "temperature must be at least 0" })
      .max(2, { error: "temperature must be at most 2" })
      .default(0.2),
    /** fixed by default so every lane samples the same way */
    seed: z
      .number()
      .int({ error: "seed must be a whole number" })
      .min(0)
      .max(2 ** 31 - 1)
      .default(42),
    /** let the engine reuse a cached prompt (then prompt processing is not measured) */
    cache_prompt: z.boolean().default(false),
    /** when the engine fails, run the mock engine instead (labelled, never ranked) */
    allow_mock_fallback: z.boolean().default(false),
  })
  .superRefine((p, ctx) => {
    if (p.max_tokens >= p.num_ctx) {
      ctx.addIssue({
        code: "custom",
        path: ["max_tokens"],
        message: `max_tokens (${p.max_tokens}) must be below num_ctx (${p.num_ctx}); raise num_ctx or ask for fewer tokens`,
      });
    }
  });
export type LlmParams = z.infer<typeof llmParamsSchema>;

/** Prompt presets of the new-race form. */
export const llmPromptPresets = {
  short: { label: "Short prompt", prompt: "Explain in three sentences why the sky is blue.", max_tokens: 128 },
  long_prompt: {
    label: "Long prompt",
    prompt: `Summarise the following text in five bullet points.\n\n${"Benchmarks measure what machines do under a fixed load. A fair benchmark runs the same work, with the same inputs, on every machine, and reports how the numbers were produced. ".repeat(40)}`,
    max_tokens: 256,
  },
  long_generation: {
    label: "Long generation",
    prompt: "Write a detailed, 1,000-word short story about a lighthouse keeper who discovers a message in a bottle.",
    max_tokens: 1024,
  },
} as const;
