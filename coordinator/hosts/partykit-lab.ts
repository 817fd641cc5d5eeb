/** The `lab` party on PartyKit (also the main party): agent presence and dispatch. */
import { createLabRoom } from "../room/lab-room.ts";
import { createPartyLogger, definePartyServer, postToApi, readPartyEnv } from "./partykit-server.ts";

export default definePartyServer("lab", (room) =>
  createLabRoom({
    roomId: room.id,
    log: createPartyLogger(`lab:${room.id}`),
    sink: { write: (change) => postToApi(readPartyEnv(room.env), "/api/internal/fleet", change) },
  }),
);
