/** The `race` party on PartyKit: one race room core per run id, its events kept in the room's storage until stored. */
import { createRaceRoom } from "../room/race-room.ts";
import { systemClock } from "../room/system-clock.ts";
import { createPartyLogger, definePartyServer, partyStorage, postToApi, readPartyEnv } from "./partykit-server.ts";

export default definePartyServer("race", (room) =>
  createRaceRoom({
    roomId: room.id,
    clock: systemClock,
    storage: partyStorage(room),
    log: createPartyLogger(`race:${room.id}`),
    sink: { write: (batch) => postToApi(readPartyEnv(room.env), `/api/internal/runs/${room.id}/batch`, batch) },
  }),
);
