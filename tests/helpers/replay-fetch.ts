/**
 * A stand-in for `fetch` that answers engine routes with recorded bodies, so backend tests replay
 * real wire bytes without an engine. Bodies can be cut into reads of chosen sizes (to prove that
 * partial frames are buffered) or left open until the request aborts (a stalled engine); aborting
 * behaves as Node's fetch does: the pending call or the body's next read rejects.
 */

export interface ReplayAnswer {
  /** 200 by default */
  status?: number;
  headers?: Record<string, string>;
  /** the body: text, bytes, or the exact pieces to deliver one read each */
  body: string | Uint8Array | readonly Uint8Array[];
  /** re-cut the body into reads of these sizes in bytes, the list repeating until the body ends */
  chunkSizes?: readonly number[];
  /** after the body, keep the stream open until the request aborts */
  stall?: boolean;
}

export interface ReplayRequest {
  method: string;
  /** path and query, e.g. "/api/chat" */
  path: string;
  /** the JSON body sent, parsed; null without one */
  body: unknown;
}

/** An answer, or a function of the request giving one; keyed by "METHOD /path". */
export type ReplayRoute = ReplayAnswer | ((request: ReplayRequest) => ReplayAnswer);

export interface ReplayFetch {
  fetch: typeof fetch;
  /** every request made, in order */
  requests: ReplayRequest[];
}

export function createReplayFetch(routes: Record<string, ReplayRoute>): ReplayFetch {
  const requests: ReplayRequest[] = [];
  const replay = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const signal = init?.signal ?? undefined;
    signal?.throwIfAborted();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? "GET";
    const request = { method, path: url.pathname + url.search, body: parseBody(init?.body) };
    requests.push(request);
    const route = routes[`${method} ${url.pathname}`];
    if (!route) return new Response("404 page not found", { status: 404, headers: { "content-type": "text/plain" } });
    const answer = typeof route === "function" ? route(request) : route;
    const body = bodyStream(pieces(answer), answer.stall ?? false, signal);
    return new Response(body, { status: answer.status ?? 200, headers: answer.headers });
  };
  return { fetch: replay as typeof fetch, requests };
}

/** A `fetch` for an engine that is not running: every call fails as Node's does, with the code in `cause`. */
export function createRefusingFetch(code = "ECONNREFUSED"): typeof fetch {
  return (async () => {
    throw new TypeError("fetch failed", { cause: Object.assign(new Error(`connect ${code}`), { code }) });
  }) as typeof fetch;
}

function parseBody(body: BodyInit | null | undefined): unknown {
  return typeof body === "string" ? JSON.parse(body) : null;
}

function pieces(answer: ReplayAnswer): Uint8Array[] {
  const { body, chunkSizes } = answer;
  const parts =
    typeof body === "string" ? [new TextEncoder().encode(body)] : body instanceof Uint8Array ? [body] : [...body];
  if (!chunkSizes || chunkSizes.length === 0) return parts;
  const whole = Buffer.concat(parts);
  const cut: Uint8Array[] = [];
  for (let at = 0, i = 0; at < whole.length; i++) {
    const size = Math.max(1, chunkSizes[i % chunkSizes.length] ?? 1);
    cut.push(whole.subarray(at, at + size));
    at += size;
  }
  return cut;
}

/** One read per piece, pulled on demand; aborting errors the stream as Node's fetch does. */
function bodyStream(parts: Uint8Array[], stall: boolean, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let next = 0;
  let onAbort = () => {};
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        onAbort = () => controller.error(signal?.reason);
        signal?.addEventListener("abort", onAbort, { once: true });
      },
      pull(controller) {
        const part = parts[next++];
        if (part) return controller.enqueue(part);
        if (stall) return new Promise<void>(() => {});
        signal?.removeEventListener("abort", onAbort);
        controller.close();
      },
      cancel() {
        signal?.removeEventListener("abort", onAbort);
      },
    },
    { highWaterMark: 0 },
  );
}
