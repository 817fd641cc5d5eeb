/**
 * How the API reaches rooms: in local mode an in-process call into the Node host, in cloud mode
 * an HTTP POST to the PartyKit room. Either way the body is a `RaceControl` or `LabControl`.
 */
import type { LabControl, RaceControl } from "../protocol/api.ts";

export interface RoomClient {
  /** Sends a control message to a room and returns its parsed JSON answer; throws `ApiError` when the room refuses. */
  post(party: "race", roomId: string, body: RaceControl): Promise<unknown>;
  post(party: "lab", roomId: string, body: LabControl): Promise<unknown>;
}
