/** A RoomClient for API tests: records every control message in order and can be told to fail. */
import type { RoomClient } from "../../coordinator/api/room-client.ts";
import type { LabControl, ModelPullState, RaceControl } from "../../coordinator/protocol/api.ts";

export interface RoomCall {
  party: "race" | "lab";
  roomId: string;
  body: RaceControl | LabControl;
}

export interface FakeRooms extends RoomClient {
  calls: RoomCall[];
  /** when set, every post throws this error (after recording the call) */
  failWith: Error | null;
  /** what the lab room answers to `lab-pulls` */
  pulls: ModelPullState[];
}

export function createFakeRooms(): FakeRooms {
  const fake: FakeRooms = {
    calls: [],
    failWith: null,
    pulls: [],
    post: async (party: "race" | "lab", roomId: string, body: RaceControl | LabControl) => {
      fake.calls.push({ party, roomId, body });
      if (fake.failWith) throw fake.failWith;
      if (party !== "lab") return { ok: true };
      if (body.type === "lab-dispatch" || body.type === "lab-pull" || body.type === "lab-probe")
        return { reached: body.agent_ids, missing: [] };
      if (body.type === "lab-pulls") return { pulls: fake.pulls };
      return { ok: true };
    },
  };
  return fake;
}
