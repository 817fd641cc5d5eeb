import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WebSocket } from "ws";
import type { LaneView, RunView } from "../../coordinator/protocol/api.ts";
import { imageRefSchema } from "../../coordinator/protocol/image.ts";
import { decodePreviewFrame } from "../../coordinator/protocol/preview-frame.ts";
import { type ComfyUiStandIn, startComfyUiStandIn } from "../helpers/comfyui-stand-in.ts";
import { encodePng } from "../helpers/encode-png.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

const checkpoint = "sd_xl_base_1.0.safetensors";

describe("an image race between two machines' ComfyUI in local mode", () => {
  let race: LocalRace;
  let comfyA: ComfyUiStandIn;
  let comfyB: ComfyUiStandIn;
  beforeAll(async () => {
    comfyA = await startComfyUiStandIn();
    comfyB = await startComfyUiStandIn();
    race = await startLocalRace({ agentNames: [] });
    await race.addAgent("gpu-a", { comfyuiUrl: comfyA.url });
    await race.addAgent("gpu-b", { comfyuiUrl: comfyB.url });
  });
  afterAll(async () => {
    await race?.stop();
    await comfyA?.close();
    await comfyB?.close();
  });

  /** the keys the test's agents enrolled with, by agent id */
  const agentKeys = () =>
    new Map(
      readdirSync(race.agentStateDir)
        .filter((f) => f.endsWith(".json"))
        .map(
          (f) =>
            JSON.parse(readFileSync(join(race.agentStateDir, f), "utf8")) as { agent_id: string; agent_key: string },
        )
        .map((g) => [g.agent_id, g.agent_key]),
    );

  /** runs `check` on a one-lane race whose ComfyUI stalls, then cancels that race */
  const onStalledLane = async (check: (run: RunView, lane: LaneView) => Promise<void>) => {
    comfyA.script = "stall";
    const run = await race.startRun({
      workload: "image",
      agents: ["gpu-a"],
      model: checkpoint,
      params: { prompt: "x", steps: 4 },
      repeats: 1,
    });
    try {
      const [lane] = (await race.getRun(run.id)).lanes;
      await check(run, lane as LaneView);
    } finally {
      comfyA.script = "success";
      await race.api(`/api/runs/${run.id}/cancel`, { method: "POST" });
      await race.raceFinished(run.id);
    }
  };

  it("lists each machine's ComfyUI with its checkpoints", async () => {
    const agents = await race.listAgents();
    expect(agents.find((a) => a.name === "gpu-a")?.backends.comfyui).toMatchObject({
      reachable: true,
      version: "0.3.40",
      models: [{ name: checkpoint }, { name: "v1-5-pruned-emaonly.safetensors" }],
    });
  });

  it("races both, stores every image by content hash with agent-clock timings, serves them, and deletes them with the run", async () => {
    const run = await race.startRun({
      workload: "image",
      agents: ["gpu-a", "gpu-b"],
      model: checkpoint,
      params: { prompt: "a lighthouse at dusk", steps: 4, images: 2, seed: 7 },
      repeats: 1,
    });
    await race.raceFinished(run.id);
    const stored = await race.getRun(run.id);
    expect(stored.status).toBe("done");
    expect(stored.lanes.map((l) => [l.agent_name, l.backend, l.status])).toEqual([
      ["gpu-a", "comfyui", "done"],
      ["gpu-b", "comfyui", "done"],
    ]);
    for (const lane of stored.lanes) {
      const [result] = lane.results;
      expect(result?.metrics).toMatchObject({
        engine: "comfyui",
        checkpoint,
        steps: 4,
        width: 512,
        height: 512,
        images: 2,
      });
      const { queue_ms, total_ms, seconds_per_image, it_per_s } = result?.metrics ?? {};
      expect(queue_ms).toBeGreaterThanOrEqual(0);
      expect(seconds_per_image).toBeGreaterThan(0);
      expect(it_per_s).toBeGreaterThan(0);
      const images = (result?.images ?? []).map((i) => imageRefSchema.parse(i));
      expect(images.map((i) => [i.index, i.seed, i.width, i.height, i.media_type])).toEqual([
        [0, 7, 512, 512, "image/png"],
        [1, 8, 512, 512, "image/png"],
      ]);
      const genMs = images.reduce((sum, i) => sum + i.gen_ms, 0);
      expect(Number(total_ms)).toBeGreaterThanOrEqual(genMs);
      expect(Number(seconds_per_image)).toBeCloseTo(genMs / 2 / 1000, 6);
      for (const image of images) {
        const response = await race.api(`/api/runs/${run.id}/images/${image.sha256}`);
        expect(response.headers.get("content-type")).toBe("image/png");
        const bytes = new Uint8Array(await response.arrayBuffer());
        expect(createHash("sha256").update(bytes).digest("hex")).toBe(image.sha256);
      }
    }
    const sha = stored.lanes[0]?.results[0]?.images?.[0]?.sha256 as string;
    const file = join(dirname(race.agentStateDir), "images", sha.slice(0, 2), sha);
    expect(existsSync(file)).toBe(true);
    expect((await race.api(`/api/runs/${run.id}`, { method: "DELETE" })).status).toBe(200);
    expect((await race.api(`/api/runs/${run.id}/images/${sha}`)).status).toBe(404);
    expect(existsSync(file)).toBe(false);
  });

  it("takes a lane's images only from that lane's agent, with its key, as a real image", async () => {
    await onStalledLane(async (run, lane) => {
      const keys = agentKeys();
      const ownKey = keys.get(lane.agent_id) as string;
      const otherKey = [...keys.entries()].find(([id]) => id !== lane.agent_id)?.[1] as string;
      const png = encodePng(8, 8, [1, 2, 3]);
      const upload = (key: string, type: string, body: Uint8Array) =>
        race.api(`/api/runs/${run.id}/lanes/${lane.lane_id}/images`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": type },
          body: new Uint8Array(body),
        });
      expect((await upload(otherKey, "image/png", png)).status).toBe(403);
      expect((await upload("not-a-key", "image/png", png)).status).toBe(403);
      expect((await upload(ownKey, "image/png", new TextEncoder().encode("#!/bin/sh\n"))).status).toBe(415);
      expect((await upload(ownKey, "image/jpeg", png)).status).toBe(415);
      const accepted = await upload(ownKey, "image/png", png);
      expect(accepted.status).toBe(201);
      expect(await accepted.json()).toEqual({
        sha256: createHash("sha256").update(png).digest("hex"),
        media_type: "image/png",
        bytes: png.length,
      });
    });
  });

  it("relays ComfyUI's live previews to spectators as binary frames addressed to the lane", async () => {
    await onStalledLane(async (run, lane) => {
      const viewer = new WebSocket(`${race.server.url.replace("http", "ws")}/parties/race/${run.id}`);
      const frame = await new Promise<Uint8Array>((resolve, reject) => {
        viewer.on("error", reject);
        viewer.on("message", (data, isBinary) => {
          if (isBinary) resolve(new Uint8Array(data as Buffer));
        });
      });
      viewer.close();
      const decoded = decodePreviewFrame(frame);
      expect(decoded.ok && decoded.frame).toMatchObject({
        id: lane.lane_id,
        repeat: 0,
        warmup: false,
        index: 0,
        media_type: "image/jpeg",
      });
      expect(decoded.ok && [...decoded.frame.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    });
  });

  it("fails a lane whose checkpoint the machine lacks with missing_model, and races the other", async () => {
    comfyB.checkpoints = ["v1-5-pruned-emaonly.safetensors"];
    const run = await race.startRun({
      workload: "image",
      agents: ["gpu-a", "gpu-b"],
      model: checkpoint,
      params: { prompt: "x", steps: 4 },
      repeats: 1,
      force: true,
    });
    await race.raceFinished(run.id);
    const lanes = (await race.getRun(run.id)).lanes;
    expect(lanes.map((l) => [l.agent_name, l.status, l.error?.code ?? null])).toEqual([
      ["gpu-a", "done", null],
      ["gpu-b", "failed", "missing_model"],
    ]);
  });
});
