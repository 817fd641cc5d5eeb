/**
 * Splits a streamed HTTP body into lines for the NDJSON (Ollama) and SSE (OpenAI-compatible)
 * parsers. It yields once per network read, so a backend can report the first bytes the moment
 * they arrive and stamp each line with the read that completed it.
 */

/**
 * The lines each read of `body` completed, in order: an empty array when a read ended mid-line.
 * Line ends are `\n` or `\r\n` (the `\r` may arrive in one read and the `\n` in the next); empty
 * lines are kept (SSE ends an event with one). UTF-8 is decoded across read boundaries. Text after
 * the last line end comes as a final line. Aborting `signal` cancels the body and throws its reason;
 * stopping the iteration early cancels the body too.
 */
export async function* readLines(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<string[]> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  const cancel = () => void reader.cancel(signal.reason).catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  let partial = "";
  let finished = false;
  try {
    signal.throwIfAborted();
    for (;;) {
      const { done, value } = await reader.read();
      signal.throwIfAborted();
      if (done) break;
      const pieces = (partial + decoder.decode(value, { stream: true })).split("\n");
      partial = pieces.pop() ?? "";
      yield pieces.map(withoutCarriageReturn);
    }
    finished = true;
    const rest = partial + decoder.decode();
    if (rest !== "") yield [withoutCarriageReturn(rest)];
  } finally {
    signal.removeEventListener("abort", cancel);
    if (!finished) cancel();
    reader.releaseLock();
  }
}

const withoutCarriageReturn = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
