/**
 * A loopback HTTP server that answers Ollama's routes with the recorded bodies in
 * tests/fixtures/backends/ollama/, streaming the chat NDJSON one line per write, so an agent can
 * race "Ollama" over a real socket in integration tests. `POST /api/pull` streams the recorded
 * pull (or its error, for a model named `missing...`), and a pulled model joins `/api/tags`.
 * `holdFirstChat: n` stops the first chat after n lines until `releaseChat()`, so a test can look
 * at a race while its text is streaming.
 */
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { setImmediate as nextTick } from "node:timers/promises";

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/backends/ollama/${name}.txt`, import.meta.url), "utf8");

export interface OllamaStandIn {
  url: string;
  /** the chat requests received, parsed */
  chats: unknown[];
  /** the models pulled so far, by name */
  pulled: string[];
  /** lets the held first chat stream its remaining lines */
  releaseChat(): void;
  close(): Promise<void>;
}

export async function startOllamaStandIn(
  chatCase = "chat-stream",
  { holdFirstChat }: { holdFirstChat?: number } = {},
): Promise<OllamaStandIn> {
  const chats: unknown[] = [];
  const pulled: string[] = [];
  let releaseChat = () => {};
  const released = new Promise<void>((resolve) => {
    releaseChat = resolve;
  });
  const streamLines = async (res: ServerResponse, text: string, holdAfter?: number) => {
    res.writeHead(200, { "content-type": "application/x-ndjson" });
    let written = 0;
    for (const line of text.split("\n")) {
      if (line === "") continue;
      if (written === holdAfter) await released;
      res.write(`${line}\n`);
      written += 1;
      await nextTick();
    }
    res.end();
  };
  const tags = () => {
    const recorded = JSON.parse(fixture("tags")) as { models: Array<Record<string, unknown>> };
    const extra = pulled.map((name) => ({ ...recorded.models[0], name, model: name }));
    return JSON.stringify({ models: [...recorded.models, ...extra] });
  };
  const body = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += chunk;
    return text;
  };
  const json = (res: ServerResponse, text: string, status = 200) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(text);
  };
  const server = createServer(async (req, res) => {
    const route = `${req.method} ${req.url}`;
    if (route === "GET /api/version") return json(res, fixture("version"));
    if (route === "GET /api/tags") return json(res, tags());
    if (route === "POST /api/pull") {
      const { model } = JSON.parse(await body(req)) as { model: string };
      if (model.startsWith("missing")) return streamLines(res, fixture("pull-error"));
      if (!pulled.includes(model)) pulled.push(model);
      return streamLines(res, fixture("pull"));
    }
    if (route === "POST /api/generate") {
      await body(req);
      return json(res, fixture("load"));
    }
    if (route === "POST /api/chat") {
      chats.push(JSON.parse(await body(req)));
      return streamLines(res, fixture(chatCase), chats.length === 1 ? holdFirstChat : undefined);
    }
    json(res, JSON.stringify({ error: `no route ${route}` }), 404);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("stand-in has no address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    chats,
    pulled,
    releaseChat: () => releaseChat(),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
