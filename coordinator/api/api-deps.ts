/** What the API needs from its composition root (local mode or a cloud host): passed in, never read from the environment. */
import type { Db } from "../../db/client.ts";
import type { Logger } from "../protocol/logger.ts";
import type { ImageStore } from "./image-store.ts";
import type { RoomClient } from "./room-client.ts";

export interface ApiDeps {
  db: Db;
  /** the secret every changing call must present */
  operatorKey: string;
  /**
   * origin the share links start with, e.g. http://127.0.0.1:8080; read on every request, so a
   * getter may supply it once the port is bound
   */
  publicUrl: string;
  rooms: RoomClient;
  version: string;
  mode: "local" | "cloud";
  /** where every 500 is logged with its cause */
  log: Logger;
  /** the secret rooms hosted elsewhere present to post their sinks; unset in local mode, where the internal routes are not mounted */
  sinkSecret?: string;
  /** the token agents present to enroll; unset where the host keeps it out of the API's reach (no enrollment there) */
  agentToken?: string;
  /** the secret agent keys are derived from (room/agent-key.ts); enrollment needs it with `agentToken` */
  agentKeySecret?: string;
  /** the operator revoked an agent, and its rooms were told: a host that can closes its other sockets */
  onAgentRevoked?(agentId: string): Promise<void>;
  /** where uploaded images live (under the data dir); unset: the image routes are not mounted */
  images?: ImageStore;
  /** milliseconds since the Unix epoch; Date.now unless a test pins it */
  now?: () => number;
}
