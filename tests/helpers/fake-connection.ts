/** A room connection that records what the room sent it, parsed. */
import type { ConnectionRole, RoomConnection } from "../../coordinator/room/ports.ts";

export interface FakeConnection extends RoomConnection {
  sent: Array<Record<string, unknown> & { type: string }>;
  /** binary frames (image previews) the room sent, in order */
  binary: Uint8Array[];
  closed: { code?: number; reason?: string } | null;
  /** messages of one type, in order */
  ofType(type: string): Array<Record<string, unknown>>;
}

let counter = 0;

export function createFakeConnection(who: ConnectionRole): FakeConnection {
  const conn: FakeConnection = {
    id: `conn-${++counter}`,
    who,
    sent: [],
    binary: [],
    closed: null,
    send(data) {
      if (typeof data === "string") conn.sent.push(JSON.parse(data));
      else conn.binary.push(data);
    },
    close(code, reason) {
      conn.closed = { code, reason };
    },
    ofType: (type) => conn.sent.filter((m) => m.type === type),
  };
  return conn;
}
