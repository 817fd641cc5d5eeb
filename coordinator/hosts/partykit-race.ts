/** The `race` party on PartyKit: one race room core per run id. */
import { createRaceRoom } from "../room/race-room.ts";
import { systemClock } from "../room/system-clock.ts";
import { createPartyLogger, definePartyServer, postToApi, readPartyEnv } from "./partykit-server.ts";

export default definePartyServer("race", (room) =>
  createRaceRoom({
    roomId: room.id,
    clock: systemClock,
    log: createPartyLogger(`race:${room.id}`),
    sink: { write: (batch) => postToApi(readPartyEnv(room.env), `/api/internal/runs/${room.id}/batch`, batch) },
  }),
);
