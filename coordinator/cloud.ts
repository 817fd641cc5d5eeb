/**
 * Cloud mode's composition root (`serve --cloud`): the API and its database only. The rooms run
 * on PartyKit, reached over HTTP with the sink secret; they write runs and fleet changes back
 * through the API's internal routes. Rooms outlive this process, so a restart marks nothing
 * interrupted or offline: the rooms keep the events they could not store and send them again.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { openDatabase } from "../db/client.ts";
import { parseDatabaseUrl } from "../db/database-url.ts";
import { createApi } from "./api/create-api.ts";
import { createHttpRoomClient } from "./api/http-room-client.ts";
import { createImageStore } from "./api/image-store.ts";
import { loadSecret } from "./load-secret.ts";
import { appVersion } from "./protocol/app-version.ts";
import type { Logger } from "./protocol/logger.ts";
import type { ServeConfig } from "./serve-config.ts";

export interface CloudServer {
  /** http://host:port the API listens on */
  url: string;
  /** where users, share links and agents go: the rooms' front door */
  publicUrl: string;
  operatorKey: string;
  agentToken: string;
  agentKeySecret: string;
  close(): Promise<void>;
}

export async function startCloud(config: ServeConfig, log: Logger): Promise<CloudServer> {
  const { roomsUrl, sinkSecret } = config;
  if (!roomsUrl || !sinkSecret) throw new Error("serve --cloud needs BENCH_ROOMS_URL and BENCH_SINK_SECRET.");
  const database = openDatabase(parseDatabaseUrl(config.databaseUrl, config.dataDir, config.databaseAuthToken));
  const { db } = database;
  const operatorKey = loadSecret(config.dataDir, "operator.key", config.operatorKey);
  const agentToken = loadSecret(config.dataDir, "agent.token", config.agentToken);
  const agentKeySecret = loadSecret(config.dataDir, "agent-key.secret", config.agentKeySecret);
  const publicUrl = (config.publicUrl ?? roomsUrl).replace(/\/$/, "");
  const rooms = createHttpRoomClient({ roomsUrl, sinkSecret });

  const app = new Hono();
  app.route(
    "/",
    createApi({
      db,
      operatorKey,
      agentToken,
      agentKeySecret,
      sinkSecret,
      rooms,
      images: createImageStore(config.dataDir),
      version: appVersion,
      mode: "cloud",
      log,
      publicUrl,
    }),
  );
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`,
    publicUrl,
    operatorKey,
    agentToken,
    agentKeySecret,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      database.close();
    },
  };
}
