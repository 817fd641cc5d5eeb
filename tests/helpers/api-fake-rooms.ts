/** A RoomClient for API tests: records every control message in order and can be told to fail. */
import type { RoomClient } from "../../coordinator/api/room-client.ts";
import type { LabControl, RaceControl } from "../../coordinator/protocol/api.ts";

export interface RoomCall {
  party: "race" | "lab";
  roomId: string;
  body: RaceControl | LabControl;
}

export interface FakeRooms extends RoomClient {
  calls: RoomCall[];
  /** when set, every post throws this error (after recording the call) */
  failWith: Error | null;
}

export function createFakeRooms(): FakeRooms {
  const fake: FakeRooms = {
    calls: [],
    failWith: null,
    post: async (party: "race" | "lab", roomId: string, body: RaceControl | LabControl) => {
      fake.calls.push({ party, roomId, body });
      if (fake.failWith) throw fake.failWith;
      return party === "lab" && body.type === "lab-dispatch" ? { reached: body.agent_ids, missing: [] } : { ok: true };
    },
  };
  return fake;
}
