/**
 * Watches a race room as a spectator does: `watchRace` resolves at the first message `until`
 * accepts (the caller closes the socket); `spectate` dials the room at `serverUrl`, watches and
 * hangs up; `isRaceOver` is the usual `until`.
 */
import { WebSocket } from "ws";
import { type RaceToViewer, raceToViewerSchema } from "../../coordinator/protocol/messages.ts";

/** whether the message says the race has finished: a snapshot of a finished race, or a delta holding its finish */
export const isRaceOver = (message: RaceToViewer): boolean =>
  (message.type === "race-snapshot" && message.state.finished_at !== null) ||
  (message.type === "race-delta" && message.events.some((e) => e.event.type === "race-finish"));

export function watchRace(socket: WebSocket, until: (message: RaceToViewer) => boolean): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    socket.on("error", reject);
    socket.on("message", (data, isBinary) => {
      if (isBinary) return;
      if (until(raceToViewerSchema.parse(JSON.parse(String(data))))) resolve();
    });
  });
}

export async function spectate(
  serverUrl: string,
  runId: string,
  until: (message: RaceToViewer) => boolean,
): Promise<void> {
  const socket = new WebSocket(`${serverUrl.replace("http", "ws")}/parties/race/${runId}`);
  await watchRace(socket, until);
  socket.close();
}
