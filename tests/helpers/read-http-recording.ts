/**
 * Reads a raw HTTP/1.1 response recorded with `curl --raw` (status line, headers, body) into a
 * replay answer. A chunked body is de-framed into its recorded chunks, one read each, so a replay
 * delivers the bytes exactly as the server sent them.
 */
import { readFileSync } from "node:fs";
import type { ReplayAnswer } from "./replay-fetch.ts";

const crlf = Buffer.from("\r\n");

export function readHttpRecording(path: string | URL): ReplayAnswer {
  const bytes = readFileSync(path);
  const headEnd = bytes.indexOf("\r\n\r\n");
  if (headEnd < 0) throw new Error(`${path} has no blank line after its headers`);
  const [statusLine = "", ...headerLines] = bytes.subarray(0, headEnd).toString("latin1").split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = bytes.subarray(headEnd + 4);
  const chunked = headers["transfer-encoding"] === "chunked";
  // The replayed Response frames its own body.
  delete headers["transfer-encoding"];
  delete headers["content-length"];
  return { status, headers, body: chunked ? dechunk(rest, String(path)) : rest };
}

/** `<hex size>\r\n<data>\r\n` per chunk, ending with a zero-size chunk. */
function dechunk(framed: Buffer, path: string): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = framed.indexOf(crlf, at);
    const size = Number.parseInt(framed.subarray(at, lineEnd).toString("latin1"), 16);
    if (lineEnd < 0 || Number.isNaN(size)) throw new Error(`${path}: bad chunk size at byte ${at}`);
    if (size === 0) return chunks;
    const start = lineEnd + 2;
    chunks.push(framed.subarray(start, start + size));
    if (!framed.subarray(start + size, start + size + 2).equals(crlf))
      throw new Error(`${path}: chunk at ${at} overruns`);
    at = start + size + 2;
  }
}
