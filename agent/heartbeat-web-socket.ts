/**
 * The WebSocket class the agent hands partysocket: `ws`'s, with the heartbeat of
 * protocol/keep-alive.ts, so a coordinator that went silent is cut and partysocket dials again.
 */
import { WebSocket } from "ws";
import { keepAlive, keepAliveIntervalMs } from "../coordinator/protocol/keep-alive.ts";

export function heartbeatWebSocket(intervalMs = keepAliveIntervalMs) {
  return class HeartbeatWebSocket extends WebSocket {
    /** partysocket constructs it as the browser's WebSocket: url and protocols */
    constructor(address: string | URL, protocols?: string | string[]) {
      super(address, protocols);
      this.once("open", () => keepAlive(this, intervalMs));
    }
  };
}
