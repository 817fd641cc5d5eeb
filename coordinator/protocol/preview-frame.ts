/**
 * The one binary message: a live image preview, sent by an agent for its job and relayed by the
 * race room to viewers for the lane, as raw bytes rather than base64 in JSON. Volatile: never
 * numbered, stored or re-sent. Layout (big-endian):
 *   0 kind (1 = image preview) | 1 media type (1 JPEG, 2 PNG, 3 WebP) | 2 warmup (0/1) |
 *   3 image index | 4-5 repeat | 6 id length n | 7..7+n id (UTF-8: job id from agents, lane id to viewers) |
 *   then the image bytes.
 */
import { type ImageMediaType, maxPreviewBytes } from "./image.ts";

export interface PreviewFrame {
  /** job id (agent -> room) or lane id (room -> viewer) */
  id: string;
  repeat: number;
  warmup: boolean;
  /** 0-based image of the pass */
  index: number;
  media_type: ImageMediaType;
  bytes: Uint8Array;
}

const previewKind = 1;
const mediaCodes: Record<ImageMediaType, number> = { "image/jpeg": 1, "image/png": 2, "image/webp": 3 };
const mediaOfCode = Object.fromEntries(Object.entries(mediaCodes).map(([t, c]) => [c, t as ImageMediaType]));
const headerBytes = 7;

export function encodePreviewFrame(frame: PreviewFrame): Uint8Array<ArrayBuffer> {
  const id = new TextEncoder().encode(frame.id);
  if (id.length > 255) throw new Error("preview id over 255 bytes");
  const out = new Uint8Array(headerBytes + id.length + frame.bytes.length);
  const view = new DataView(out.buffer);
  view.setUint8(0, previewKind);
  view.setUint8(1, mediaCodes[frame.media_type]);
  view.setUint8(2, frame.warmup ? 1 : 0);
  view.setUint8(3, Math.min(255, frame.index));
  view.setUint16(4, Math.min(0xffff, frame.repeat));
  view.setUint8(6, id.length);
  out.set(id, headerBytes);
  out.set(frame.bytes, headerBytes + id.length);
  return out;
}

/** The frame, or a reason it is refused (not a preview, malformed, over `maxPreviewBytes`). */
export function decodePreviewFrame(
  data: Uint8Array,
): { ok: true; frame: PreviewFrame } | { ok: false; reason: string } {
  if (data.length < headerBytes) return { ok: false, reason: "a binary message shorter than a preview header" };
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint8(0) !== previewKind) return { ok: false, reason: "a binary message that is not an image preview" };
  const media_type = mediaOfCode[view.getUint8(1)];
  if (!media_type) return { ok: false, reason: "a preview of an unknown image type" };
  const idLength = view.getUint8(6);
  if (data.length < headerBytes + idLength) return { ok: false, reason: "a preview cut short" };
  const bytes = data.subarray(headerBytes + idLength);
  if (bytes.length > maxPreviewBytes) return { ok: false, reason: `a preview over ${maxPreviewBytes} bytes` };
  let id: string;
  try {
    id = new TextDecoder("utf-8", { fatal: true }).decode(data.subarray(headerBytes, headerBytes + idLength));
  } catch {
    return { ok: false, reason: "a preview whose id is not UTF-8" };
  }
  return {
    ok: true,
    frame: {
      id,
      repeat: view.getUint16(4),
      warmup: view.getUint8(2) === 1,
      index: view.getUint8(3),
      media_type,
      bytes,
    },
  };
}
