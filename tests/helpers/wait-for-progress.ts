/** Resolves when a spectator of the race sees a `job-progress` event (of one lane, when given). */
import { WebSocket } from "ws";
import { raceToViewerSchema } from "../../coordinator/protocol/messages.ts";

export async function waitForProgress(serverUrl: string, runId: string, laneId?: string): Promise<void> {
  const viewer = new WebSocket(`${serverUrl.replace("http", "ws")}/parties/race/${runId}`);
  await new Promise<void>((resolve) => {
    viewer.on("message", (data) => {
      const message = raceToViewerSchema.parse(JSON.parse(String(data)));
      const progressed =
        message.type === "race-delta" &&
        message.events.some(
          (e) =>
            e.event.type === "lane-event" &&
            (laneId === undefined || e.event.lane_id === laneId) &&
            e.event.event.type === "job-progress",
        );
      if (progressed) resolve();
    });
  });
  viewer.close();
}
