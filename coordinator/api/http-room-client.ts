/**
 * Cloud mode's `RoomClient`: control messages go to the PartyKit rooms as HTTP POSTs to
 * `/parties/<party>/<room>` with the sink secret, which the rooms require before they obey.
 */
import { ApiError } from "./api-error.ts";
import type { RoomClient } from "./room-client.ts";
import { roomReplyOrThrow } from "./room-reply-or-throw.ts";

export interface HttpRoomClientOptions {
  /** the rooms' origin, e.g. https://bench-race.you.partykit.dev */
  roomsUrl: string;
  sinkSecret: string;
  /** how long a room gets to answer, in milliseconds; default 10 s */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export function createHttpRoomClient(options: HttpRoomClientOptions): RoomClient {
  const send = options.fetch ?? fetch;
  return {
    async post(party: "race" | "lab", roomId: string, body: unknown) {
      const url = new URL(`/parties/${party}/${encodeURIComponent(roomId)}`, options.roomsUrl);
      const response = await send(url, {
        method: "POST",
        headers: { authorization: `Bearer ${options.sinkSecret}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      }).catch((error: unknown) => {
        const cause =
          error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
        throw new ApiError(
          502,
          "rooms_unreachable",
          `The rooms at ${options.roomsUrl} are not reachable (${cause}). Check BENCH_ROOMS_URL and that the PartyKit project is deployed or \`partykit dev\` runs.`,
        );
      });
      const reply = await response.json().catch(() => null);
      return roomReplyOrThrow(party, { status: response.status, body: reply });
    },
  };
}
