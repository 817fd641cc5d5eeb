// Live figures of an llm pass drawn from its `job-text` events, for when the room sends no live
// stats: the engine's latest token count, the pass's elapsed time, and the generation rate between
// the first and the latest counted chunk (so the wait for the first token does not dilute it).
import type { LiveStats } from "../../../coordinator/protocol/job.ts";

/** The first and latest counted chunk of one pass. */
export interface TextPace {
  repeat: number;
  warmup: boolean;
  /** milliseconds since the pass began, at the latest chunk */
  t_ms: number;
  /** the engine's cumulative token count at the latest chunk; null when it gave none yet */
  tokens: number | null;
  /** the first chunk that carried a count */
  first: { t_ms: number; tokens: number } | null;
}

/** Folds one chunk into the pace of its pass; a chunk of another pass starts afresh. */
export function foldTextPace(
  pace: TextPace | null,
  chunk: { repeat: number; warmup: boolean; tokens: number | null; t_ms: number },
): TextPace {
  const same = pace !== null && pace.repeat === chunk.repeat && pace.warmup === chunk.warmup;
  const before = same ? pace : null;
  const tokens = chunk.tokens ?? before?.tokens ?? null;
  const first = before?.first ?? (chunk.tokens === null ? null : { t_ms: chunk.t_ms, tokens: chunk.tokens });
  return { repeat: chunk.repeat, warmup: chunk.warmup, t_ms: chunk.t_ms, tokens, first };
}

/** The pace as live stats, with the keys the room's live stats use. */
export function toPaceStats(pace: TextPace): LiveStats {
  const { first, tokens } = pace;
  const span = first === null ? 0 : pace.t_ms - first.t_ms;
  const rate = first !== null && tokens !== null && span > 0 ? ((tokens - first.tokens) * 1000) / span : null;
  return { elapsed_ms: pace.t_ms, tokens, tokens_per_s: rate };
}
