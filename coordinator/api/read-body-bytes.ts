/**
 * Reads a request's body within a route's limit: refused with `tooLarge` when Content-Length says
 * more than `maxBytes`, and as soon as the bytes read pass it, whatever Content-Length said.
 */
import type { ApiError } from "./api-error.ts";

export async function readBodyBytes(request: Request, maxBytes: number, tooLarge: ApiError): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge;
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}
