/**
 * Local mode's composition root: one Node process with the API, the rooms (Node host), the
 * built web app and SQLite, and optionally an embedded agent for this machine.
 */

import { existsSync, readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join, relative } from "node:path";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { WebSocketServer } from "ws";
import { applyFleetChange, isAgentRevoked, markAllAgentsOffline } from "../db/agents.ts";
import { openDatabase } from "../db/client.ts";
import { parseDatabaseUrl } from "../db/database-url.ts";
import { applyRunBatch, markUnfinishedRunsInterrupted, runExists } from "../db/runs.ts";
import { createApi } from "./api/create-api.ts";
import { createImageStore } from "./api/image-store.ts";
import { createSocketOperatorCheck } from "./api/operator-auth.ts";
import type { RoomClient } from "./api/room-client.ts";
import { roomReplyOrThrow } from "./api/room-reply-or-throw.ts";
import { createNodeRoomHost, type NodeRoomHost, roomSocketServerOptions } from "./hosts/node.ts";
import { loadSecret } from "./load-secret.ts";
import { appVersion } from "./protocol/app-version.ts";
import type { Logger } from "./protocol/logger.ts";
import { reachableUrl } from "./reachable-url.ts";
import { createLabRoom } from "./room/lab-room.ts";
import { createRaceRoom } from "./room/race-room.ts";
import { systemClock } from "./room/system-clock.ts";
import type { ServeConfig } from "./serve-config.ts";

export interface LocalServer {
  /** http://host:port actually bound */
  url: string;
  operatorKey: string;
  agentToken: string;
  host: NodeRoomHost;
  close(): Promise<void>;
}

export async function startLocal(config: ServeConfig, log: Logger): Promise<LocalServer> {
  const database = openDatabase(parseDatabaseUrl(config.databaseUrl, config.dataDir, config.databaseAuthToken));
  const { db } = database;
  markAllAgentsOffline(db);
  const interrupted = markUnfinishedRunsInterrupted(db, Date.now());
  if (interrupted.length > 0)
    log.warn("runs left unfinished by the last shutdown are marked interrupted", { runs: interrupted });
  const operatorKey = loadSecret(config.dataDir, "operator.key", config.operatorKey);
  const agentToken = loadSecret(config.dataDir, "agent.token", config.agentToken);
  const agentKeySecret = loadSecret(config.dataDir, "agent-key.secret", config.agentKeySecret);

  const host = createNodeRoomHost({
    agentCheck: {
      agentKeySecret,
      isRevoked: (agentId) => isAgentRevoked(db, agentId),
      isOperator: createSocketOperatorCheck(operatorKey),
    },
    log,
    runExists: (runId) => runExists(db, runId),
    createRoom: (party, roomId) =>
      party === "race"
        ? createRaceRoom({
            roomId,
            clock: systemClock,
            log,
            agentLostMs: config.agentLostS * 1000,
            sink: { write: async (batch) => void applyRunBatch(db, batch) },
          })
        : createLabRoom({ roomId, log, sink: { write: async (change) => applyFleetChange(db, change, Date.now()) } }),
  });
  const rooms: RoomClient = {
    post: async (party: "race" | "lab", roomId: string, body: unknown) =>
      roomReplyOrThrow(party, await host.control(party, roomId, body)),
  };

  const app = new Hono();
  host.mount(app);
  let publicUrl = config.publicUrl ?? "";
  const api = createApi({
    db,
    operatorKey,
    agentToken,
    agentKeySecret,
    images: createImageStore(config.dataDir),
    async onAgentRevoked(agentId) {
      host.disconnectAgent(agentId, "agent revoked by the operator");
    },
    rooms,
    version: appVersion,
    mode: "local",
    log,
    /** known once the port is bound */
    get publicUrl() {
      return publicUrl;
    },
  });
  app.route("/", api);
  mountWebApp(app, config.webDir);

  const wss = new WebSocketServer(roomSocketServerOptions);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host, websocket: { server: wss } });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
  // share links and the add-a-machine command name an address other machines can reach
  publicUrl ||= reachableUrl({ url, host: config.host, port, interfaces: os.networkInterfaces() });

  return {
    url,
    operatorKey,
    agentToken,
    host,
    close: async () => {
      await host.shutdown();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
    },
  };
}

/** Serves the built web app, falling back to index.html for the app's own routes. */
function mountWebApp(app: Hono, webDir: string): void {
  const indexFile = join(webDir, "index.html");
  app.use("/*", serveStatic({ root: relative(process.cwd(), webDir) || "." }));
  app.get("*", (c) => {
    if (!existsSync(indexFile)) {
      return c.text(
        `The web app is not built (${indexFile} is missing). Run \`npm run build:web\` or \`npm start\`.`,
        503,
      );
    }
    return c.html(readFileSync(indexFile, "utf8"));
  });
}
