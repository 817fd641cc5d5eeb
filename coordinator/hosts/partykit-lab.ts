/**
 * The `lab` party on PartyKit (also the main party): agent presence and dispatch, and, as the
 * main party, the front door for every request that is not a room's (partykit-front-door.ts).
 */
import { createLabRoom } from "../room/lab-room.ts";
import { createRetryingFleetSink } from "../room/retrying-fleet-sink.ts";
import { systemClock } from "../room/system-clock.ts";
import { frontDoor } from "./partykit-front-door.ts";
import { createPartyLogger, definePartyServer, postToApi, readPartyEnv } from "./partykit-server.ts";

const LabServer = definePartyServer("lab", (room) => {
  const log = createPartyLogger(`lab:${room.id}`);
  return createLabRoom({
    roomId: room.id,
    log,
    sink: createRetryingFleetSink({
      sink: { write: (change) => postToApi(readPartyEnv(room.env), "/api/internal/fleet", change) },
      clock: systemClock,
      log,
    }),
  });
});

export default class LabParty extends LabServer {
  static onFetch = frontDoor;
}
