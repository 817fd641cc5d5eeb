/**
 * A loopback ComfyUI written from its documented API (server.py and its websocket messages): real
 * HTTP routes (`/system_stats`, `/object_info/CheckpointLoaderSimple`, `/prompt`, `/history/{id}`,
 * `/view`, `/interrupt`, `/queue`) and `/ws?clientId=`, over which each prompt replays a recorded
 * frame sequence from tests/fixtures/backends/comfyui/ (JSON messages and binary preview frames).
 * Prompts run one at a time; a finished one writes a real PNG of the workflow's size that `/view`
 * serves. `script` picks the sequence of the next prompts (success, an engine error, a stall, a
 * socket that drops after the start).
 */
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setImmediate as nextTick } from "node:timers/promises";
import { type WebSocket, WebSocketServer } from "ws";
import { encodePng } from "./encode-png.ts";

export const comfyFixture = (name: string) =>
  readFileSync(new URL(`../fixtures/backends/comfyui/${name}`, import.meta.url), "utf8");

/** One recorded socket frame. */
export type RecordedFrame =
  | { kind: "text"; data: { type: string; data: Record<string, unknown> } }
  | { kind: "binary"; event: number; image_type: number; base64: string };

export const readFrames = (name: string): RecordedFrame[] =>
  comfyFixture(name)
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RecordedFrame);

/** What the next prompt does: replay a fixture, stall after its frames, or drop the socket after the start. */
export type StandInScript =
  | "success"
  | "error-oom"
  | "error-no-kernel"
  | "stall"
  | "drop-socket"
  | "hang-queued"
  /** the executed message names a file outside ComfyUI's output folder */
  | "bad-filename"
  /** POST /prompt answers 200 without a prompt id */
  | "bad-prompt-reply";

interface QueuedPrompt {
  id: string;
  clientId: string;
  workflow: Record<string, { class_type: string; inputs: Record<string, unknown> }>;
  script: StandInScript;
}

export interface ComfyUiStandIn {
  url: string;
  /** the script of prompts submitted from now on */
  script: StandInScript;
  /** checkpoints the loader lists */
  checkpoints: string[];
  /** every prompt submitted, in order */
  prompts: QueuedPrompt[];
  /** routes ("METHOD /path") that accept the request and never answer, as a hung ComfyUI does */
  hang: Set<string>;
  /** prompt ids interrupted and deleted from the queue */
  interrupted: string[];
  deleted: string[];
  close(): Promise<void>;
}

/** `checkpointsDir`: a models/checkpoints folder whose files the loader lists too, as ComfyUI does */
export async function startComfyUiStandIn(options: { checkpointsDir?: string } = {}): Promise<ComfyUiStandIn> {
  const sockets = new Map<string, WebSocket>();
  const files = new Map<string, Buffer>();
  const history = new Map<string, unknown>();
  const queue: QueuedPrompt[] = [];
  let running: { prompt: QueuedPrompt; stop: () => void } | null = null;
  const objectInfo = JSON.parse(comfyFixture("object-info-checkpoint.json"));
  const initial = objectInfo.CheckpointLoaderSimple.input.required.ckpt_name[0] as string[];
  let fileCount = 0;

  const standIn: ComfyUiStandIn = {
    url: "",
    script: "success",
    checkpoints: [...initial],
    hang: new Set(),
    prompts: [],
    interrupted: [],
    deleted: [],
    close: async () => {},
  };

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(typeof body === "string" ? body : JSON.stringify(body));
  };
  const body = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text ? JSON.parse(text) : {};
  };

  const sendFrame = (clientId: string, frame: RecordedFrame, promptId: string) => {
    const socket = sockets.get(clientId);
    if (!socket || socket.readyState !== socket.OPEN) return;
    if (frame.kind === "binary") {
      const head = Buffer.alloc(8);
      head.writeUInt32BE(frame.event, 0);
      head.writeUInt32BE(frame.image_type, 4);
      socket.send(Buffer.concat([head, Buffer.from(frame.base64, "base64")]), { binary: true });
      return;
    }
    socket.send(JSON.stringify(frame.data).replaceAll("PROMPT_ID", promptId));
  };

  /** the finished image: a PNG of the workflow's size, its colour from the seed */
  const writeImage = (prompt: QueuedPrompt): string => {
    const latent = prompt.workflow["5"]?.inputs ?? {};
    const seed = Number(prompt.workflow["3"]?.inputs.seed ?? 0);
    const filename = `bench-race_${String(++fileCount).padStart(5, "0")}_.png`;
    const png = encodePng(Number(latent.width ?? 64), Number(latent.height ?? 64), [seed % 256, 90, 200]);
    files.set(filename, png);
    return filename;
  };

  async function run(prompt: QueuedPrompt): Promise<void> {
    let stopped = false;
    running = { prompt, stop: () => (stopped = true) };
    const fixtureOf: Record<StandInScript, string> = {
      success: "ws-success.ndjson",
      "error-oom": "ws-error-oom.ndjson",
      "error-no-kernel": "ws-error-no-kernel.ndjson",
      stall: "ws-stall.ndjson",
      "drop-socket": "ws-success.ndjson",
      "hang-queued": "ws-stall.ndjson",
      "bad-filename": "ws-success.ndjson",
      "bad-prompt-reply": "ws-success.ndjson",
    };
    const filename = prompt.script === "success" || prompt.script === "drop-socket" ? writeImage(prompt) : null;
    for (const frame of readFrames(fixtureOf[prompt.script])) {
      if (stopped) break;
      const type = frame.kind === "text" ? frame.data.type : "binary";
      const named = prompt.script === "bad-filename" ? "../../../etc/passwd" : filename;
      const patched =
        type === "executed" && named && frame.kind === "text"
          ? {
              ...frame,
              data: {
                ...frame.data,
                data: { ...frame.data.data, output: { images: [{ filename: named, subfolder: "", type: "output" }] } },
              },
            }
          : frame;
      sendFrame(prompt.clientId, patched, prompt.id);
      if (prompt.script === "drop-socket" && type === "execution_start") sockets.get(prompt.clientId)?.close();
      await nextTick();
    }
    if (stopped) {
      for (const frame of readFrames("ws-interrupted.ndjson")) sendFrame(prompt.clientId, frame, prompt.id);
      history.set(prompt.id, entry(null, "error", [["execution_interrupted", { prompt_id: prompt.id }]]));
    } else if (prompt.script === "stall" || prompt.script === "hang-queued") {
      await new Promise<void>((resolve) => {
        running = { prompt, stop: () => resolve() };
      });
      for (const frame of readFrames("ws-interrupted.ndjson")) sendFrame(prompt.clientId, frame, prompt.id);
      history.set(prompt.id, entry(null, "error", [["execution_interrupted", { prompt_id: prompt.id }]]));
    } else if (filename) {
      history.set(prompt.id, entry(filename, "success", []));
    } else {
      const error = readFrames(fixtureOf[prompt.script]).find(
        (f) => f.kind === "text" && f.data.type === "execution_error",
      );
      history.set(
        prompt.id,
        entry(null, "error", [["execution_error", error?.kind === "text" ? error.data.data : {}]]),
      );
    }
    running = null;
    const next = queue.shift();
    if (next) void run(next);
  }

  const entry = (filename: string | null, status: string, messages: unknown[]) => ({
    prompt: [],
    outputs: filename ? { "9": { images: [{ filename, subfolder: "", type: "output" }] } } : {},
    status: { status_str: status, completed: status === "success", messages },
  });

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    const route = `${req.method} ${url.pathname}`;
    if (standIn.hang.has(route)) return;
    if (route === "GET /system_stats") return json(res, 200, comfyFixture("system-stats.json"));
    if (route === "GET /object_info/CheckpointLoaderSimple") {
      const files = options.checkpointsDir ? readdirSync(options.checkpointsDir).filter((f) => !f.startsWith(".")) : [];
      objectInfo.CheckpointLoaderSimple.input.required.ckpt_name[0] = [...standIn.checkpoints, ...files];
      return json(res, 200, objectInfo);
    }
    if (route === "POST /prompt") {
      const { prompt: workflow, client_id: clientId } = await body(req);
      const checkpoint = String(workflow?.["4"]?.inputs?.ckpt_name ?? "");
      if (!standIn.checkpoints.includes(checkpoint))
        return json(res, 400, comfyFixture("prompt-missing-checkpoint.json").replace("CHECKPOINT", checkpoint));
      if (standIn.script === "bad-prompt-reply") return json(res, 200, { number: 0, node_errors: {} });
      const prompt: QueuedPrompt = { id: randomUUID(), clientId: String(clientId), workflow, script: standIn.script };
      standIn.prompts.push(prompt);
      json(res, 200, comfyFixture("prompt-reply.json").replace("PROMPT_ID", prompt.id));
      if (prompt.script === "hang-queued") return;
      if (running) queue.push(prompt);
      else void run(prompt);
      return;
    }
    if (req.method === "GET" && url.pathname.startsWith("/history/")) {
      const id = decodeURIComponent(url.pathname.slice("/history/".length));
      const found = history.get(id);
      return json(res, 200, found ? { [id]: found } : {});
    }
    if (route === "GET /view") {
      const file = files.get(url.searchParams.get("filename") ?? "");
      if (!file || url.searchParams.get("type") !== "output") return json(res, 404, { error: "not found" });
      res.writeHead(200, { "content-type": "image/png", "content-length": file.length });
      return res.end(file);
    }
    if (route === "GET /queue") {
      const entry = (p: QueuedPrompt, i: number) => [i, p.id, p.workflow, { client_id: p.clientId }, ["9"]];
      const pending = [
        ...queue,
        ...standIn.prompts.filter((p) => p.script === "hang-queued" && !standIn.deleted.includes(p.id)),
      ];
      return json(res, 200, {
        queue_running: running ? [entry(running.prompt, 0)] : [],
        queue_pending: pending.map((p, i) => entry(p, i + 1)),
      });
    }
    if (route === "POST /interrupt") {
      const { prompt_id: id } = await body(req);
      if (running && (id === undefined || id === running.prompt.id)) {
        standIn.interrupted.push(running.prompt.id);
        running.stop();
      }
      return json(res, 200, {});
    }
    if (route === "POST /queue") {
      const { delete: ids } = await body(req);
      for (const id of Array.isArray(ids) ? ids : []) {
        standIn.deleted.push(String(id));
        const index = queue.findIndex((p) => p.id === id);
        if (index >= 0) queue.splice(index, 1);
      }
      return json(res, 200, {});
    }
    json(res, 404, { error: `no route ${route}` });
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname !== "/ws") return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => {
      const clientId = url.searchParams.get("clientId") ?? randomUUID();
      sockets.set(clientId, ws);
      ws.on("close", () => {
        if (sockets.get(clientId) === ws) sockets.delete(clientId);
      });
      ws.send(
        JSON.stringify({
          type: "status",
          data: { status: { exec_info: { queue_remaining: queue.length } }, sid: clientId },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  standIn.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  standIn.close = async () => {
    running?.stop();
    for (const socket of sockets.values()) socket.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return standIn;
}
