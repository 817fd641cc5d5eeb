/**
 * Server-sent events from lines, per the WHATWG event-stream rules the OpenAI-compatible servers
 * follow: `data:` lines accumulate until a blank line ends the event, `:` lines are comments
 * (keep-alives), `event:`/`id:` are kept, `retry:` and unknown fields are dropped. One deviation:
 * llama-server reports a failure mid-stream as an `error: {...}` line, kept as an `error` event.
 */

export interface SseEvent {
  /** the `event:` field; "message" when the server named none */
  event: string;
  data: string;
  /** the last `id:` field seen, or null */
  id: string | null;
}

export interface SseDecoder {
  /** takes one line (without its line end); returns the event a blank line completed, if any */
  push(line: string): SseEvent | null;
  /** the event left unfinished when the stream ended without a blank line, if any */
  end(): SseEvent | null;
}

export function createSseDecoder(): SseDecoder {
  let event = "";
  let data: string[] = [];
  let id: string | null = null;

  function dispatch(): SseEvent | null {
    const done = data.length > 0 ? { event: event || "message", data: data.join("\n"), id } : null;
    event = "";
    data = [];
    return done;
  }

  return {
    push(line) {
      if (line === "") return dispatch();
      if (line.startsWith(":")) return null;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const raw = colon === -1 ? "" : line.slice(colon + 1);
      const value = raw.startsWith(" ") ? raw.slice(1) : raw;
      if (field === "data") data.push(value);
      else if (field === "event") event = value;
      else if (field === "id") id = value;
      else if (field === "error") {
        event = "error";
        data.push(value);
      }
      return null;
    },
    end: dispatch,
  };
}
