/**
 * ComfyUI's `/ws?clientId=` socket as a queue the pass reads one item at a time: parsed JSON
 * messages, decoded preview frames, and the socket's end. A wait ends with `timeout` or `aborted`
 * rather than hanging, so a silent ComfyUI can never hold a lane.
 */
import { WebSocket } from "ws";
import type { ImageMediaType } from "../../../coordinator/protocol/image.ts";
import { parsePreviewFrame, type SocketMessage, socketMessageSchema } from "./comfyui-messages.ts";

export type SocketItem =
  | { kind: "message"; message: SocketMessage }
  | { kind: "preview"; media_type: ImageMediaType; bytes: Uint8Array }
  /** a text frame that is not a message this pass knows (other node types, malformed JSON) */
  | { kind: "other" }
  | { kind: "closed" }
  | { kind: "timeout" }
  | { kind: "aborted" };

export interface ComfySocket {
  /** the next item, waiting at most `timeoutMs` */
  next(timeoutMs: number, signal: AbortSignal): Promise<SocketItem>;
  close(): void;
}

/** Items kept unread before the oldest previews are dropped (messages are never dropped). */
const maxQueued = 1_000;

/** Opens the socket; null when it could not be opened within `timeoutMs` (the pass then polls history). */
export function openComfySocket(url: string, timeoutMs: number, signal: AbortSignal): Promise<ComfySocket | null> {
  const queue: SocketItem[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  const socket = new WebSocket(url, { maxPayload: 64 * 1024 * 1024 });
  const push = (item: SocketItem) => {
    if (queue.length >= maxQueued) {
      const preview = queue.findIndex((q) => q.kind === "preview" || q.kind === "other");
      if (preview >= 0) queue.splice(preview, 1);
    }
    queue.push(item);
    wake?.();
  };
  socket.on("message", (data, isBinary) => {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    if (isBinary) {
      const preview = parsePreviewFrame(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength));
      if (preview) push({ kind: "preview", ...preview });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(buffer.toString("utf8"));
    } catch {
      return push({ kind: "other" });
    }
    const parsed = socketMessageSchema.safeParse(json);
    push(parsed.success ? { kind: "message", message: parsed.data } : { kind: "other" });
  });
  socket.on("close", () => {
    ended = true;
    wake?.();
  });
  socket.on("error", () => {});

  const api: ComfySocket = {
    async next(ms, passSignal) {
      for (;;) {
        const item = queue.shift();
        if (item) return item;
        if (ended) return { kind: "closed" };
        if (passSignal.aborted) return { kind: "aborted" };
        let timer: ReturnType<typeof setTimeout> | undefined;
        let onAbort: (() => void) | undefined;
        const outcome = await new Promise<"woken" | "timeout" | "aborted">((resolve) => {
          timer = setTimeout(() => resolve("timeout"), ms);
          onAbort = () => resolve("aborted");
          passSignal.addEventListener("abort", onAbort, { once: true });
          wake = () => resolve("woken");
        });
        clearTimeout(timer);
        if (onAbort) passSignal.removeEventListener("abort", onAbort);
        wake = null;
        if (outcome !== "woken") return { kind: outcome };
      }
    },
    close() {
      ended = true;
      socket.terminate();
    },
  };
  return new Promise((resolve) => {
    const fail = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", fail);
      socket.terminate();
      resolve(null);
    };
    const timer = setTimeout(fail, timeoutMs);
    signal.addEventListener("abort", fail, { once: true });
    socket.once("open", () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", fail);
      resolve(api);
    });
    socket.once("error", fail);
  });
}
