/**
 * Coalesces an engine's streamed text into `job-text` chunks: one flush per 64 characters, per
 * newline, or per 100 ms, whichever comes first. Each chunk keeps the engine's token count and the
 * arrival time of its last piece; metrics are taken from the raw pieces before they get here.
 */

export interface TextChunk {
  text: string;
  /** the engine's cumulative generated-token count at the chunk's end; null when the engine did not say */
  tokens: number | null;
  /** milliseconds since the pass began, when the chunk's last piece arrived */
  t_ms: number;
}

export interface TextCoalescerOptions {
  emit(chunk: TextChunk): void;
  /** runs `fn` after `ms`; returns a function that cancels it */
  schedule(fn: () => void, ms: number): () => void;
  /** flush once this many characters are held; default 64 */
  maxChars?: number;
  /** flush once the oldest held piece is this old; default 100 ms */
  maxMs?: number;
}

export interface TextCoalescer {
  push(text: string, tokens: number | null, tMs: number): void;
  /** sends whatever is held now (at the end of a pass, before its result) */
  flush(): void;
}

export function createTextCoalescer(options: TextCoalescerOptions): TextCoalescer {
  const maxChars = options.maxChars ?? 64;
  const maxMs = options.maxMs ?? 100;
  let text = "";
  let tokens: number | null = null;
  let tMs = 0;
  let cancelTimer: (() => void) | null = null;

  const flush = () => {
    cancelTimer?.();
    cancelTimer = null;
    if (text === "" && tokens === null) return;
    options.emit({ text, tokens, t_ms: tMs });
    text = "";
    tokens = null;
  };

  return {
    push(piece, count, at) {
      text += piece;
      if (count !== null) tokens = count;
      tMs = at;
      if (text.length >= maxChars || piece.includes("\n")) flush();
      else cancelTimer ??= options.schedule(flush, maxMs);
    },
    flush,
  };
}
