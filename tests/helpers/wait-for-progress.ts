/** Resolves when a spectator of the race sees a `job-progress` event (of one lane, when given). */
import { spectate } from "./watch-race.ts";

export const waitForProgress = (serverUrl: string, runId: string, laneId?: string): Promise<void> =>
  spectate(
    serverUrl,
    runId,
    (message) =>
      message.type === "race-delta" &&
      message.events.some(
        (e) =>
          e.event.type === "lane-event" &&
          (laneId === undefined || e.event.lane_id === laneId) &&
          e.event.event.type === "job-progress",
      ),
  );
