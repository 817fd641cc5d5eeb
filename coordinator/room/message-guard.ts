/**
 * What every host checks on a socket's message before its room reads it, so both hosts enforce
 * the same limits: its size in bytes, and the socket's message rate (token buckets per socket,
 * one kind for agents and one for browsers). A message past either gets the socket closed.
 */
import { createTokenBuckets } from "../protocol/token-buckets.ts";
import { maxMessageBytes, messageBytes } from "./parse-message.ts";
import type { RoomConnection } from "./ports.ts";

/**
 * Messages per socket: agents send events in bursts when they resend after a reconnect, spectators
 * (and the operator) only ask for snapshots. Above it the socket is closed (1008); an agent dials
 * again and resends.
 */
export const messageRates = {
  agent: { capacity: 5000, perSecond: 2000 },
  viewer: { capacity: 30, perSecond: 5 },
} as const;

/** How the host closes a socket whose message was refused. */
export interface Refusal {
  code: number;
  reason: string;
}

export interface MessageGuard {
  /** null when the room may read the message (and it is counted); otherwise how to close the socket */
  check(conn: RoomConnection, raw: string | Uint8Array): Refusal | null;
  /** drops what is kept for a socket (it closed) */
  forget(conn: RoomConnection): void;
}

const rateOf = (conn: RoomConnection) => (conn.who.role === "agent" ? "agent" : "viewer");

/** `now`: milliseconds, any origin */
export function createMessageGuard(now: () => number): MessageGuard {
  const buckets = {
    agent: createTokenBuckets({ ...messageRates.agent, now }),
    viewer: createTokenBuckets({ ...messageRates.viewer, now }),
  };
  return {
    check(conn, raw) {
      const bytes = typeof raw === "string" ? messageBytes(raw) : raw.byteLength;
      if (bytes > maxMessageBytes) {
        return { code: 1009, reason: `message too large: at most ${maxMessageBytes} bytes` };
      }
      const rate = rateOf(conn);
      if (!buckets[rate].take(conn.id)) {
        return { code: 1008, reason: `too many messages: at most ${messageRates[rate].perSecond} a second` };
      }
      return null;
    },
    forget: (conn) => buckets[rateOf(conn)].forget(conn.id),
  };
}
