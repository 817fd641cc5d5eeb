import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ComfyUiStandIn, startComfyUiStandIn } from "../helpers/comfyui-stand-in.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

const file = randomBytes(200_000);
const sha256 = createHash("sha256").update(file).digest("hex");

describe("checkpoint sync through the lab room", () => {
  let race: LocalRace;
  let comfy: ComfyUiStandIn;
  let files: Server;
  let filesUrl = "";
  const checkpointsDir = mkdtempSync(join(os.tmpdir(), "bench-race-checkpoints-"));
  beforeAll(async () => {
    files = createServer((req, res) => {
      if (req.url !== "/m/tiny.safetensors") return res.writeHead(404).end();
      res.writeHead(200, { "content-length": file.length }).end(file);
    });
    await new Promise<void>((resolve) => files.listen(0, "127.0.0.1", resolve));
    filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
    comfy = await startComfyUiStandIn({ checkpointsDir });
    race = await startLocalRace({ agentNames: [] });
    await race.addAgent("gpu-a", { comfyuiUrl: comfy.url, comfyuiCheckpoints: checkpointsDir });
    await race.addAgent("cpu-b");
  });
  afterAll(async () => {
    await race?.stop();
    await comfy?.close();
    await new Promise<void>((resolve) => files.close(() => resolve()));
    rmSync(checkpointsDir, { recursive: true, force: true });
  });

  const pulls = async () =>
    ((await (await race.api("/api/agents/pulls")).json()) as { pulls: Array<Record<string, unknown>> }).pulls;

  it("refuses a list line on a private address unless allowed", async () => {
    const response = await race.api("/api/checkpoints", {
      method: "PUT",
      body: JSON.stringify({ list: `Tiny | ${filesUrl}/m/tiny.safetensors | sha256:${sha256}` }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain(
      "line 1: 127.0.0.1 is a loopback or private address",
    );
  });

  it("downloads a listed checkpoint into ComfyUI's folder, verified, reports progress, and the fleet lists it", async () => {
    const put = await race.api("/api/checkpoints", {
      method: "PUT",
      body: JSON.stringify({
        list: `# lab mirror\nTiny | ${filesUrl}/m/tiny.safetensors | sha256:${sha256}\n`,
        allow_private: true,
      }),
    });
    expect(await put.json()).toEqual({
      checkpoints: [
        { name: "tiny.safetensors", label: "Tiny", url: `${filesUrl}/m/tiny.safetensors`, sha256, allow_private: true },
      ],
    });
    const sync = await race.api("/api/checkpoints/sync", {
      method: "POST",
      body: JSON.stringify({ agents: ["gpu-a", "cpu-b"] }),
    });
    expect(sync.status).toBe(202);
    expect(((await sync.json()) as { reached: string[] }).reached).toHaveLength(2);
    await vi.waitFor(
      async () => {
        const done = (await pulls()).filter((p) => p.model === "tiny.safetensors" && p.done);
        expect(done).toHaveLength(2);
      },
      { timeout: 10_000, interval: 50 },
    );
    const byAgent = new Map((await race.listAgents()).map((a) => [a.name, a]));
    const states = await pulls();
    expect(states.find((p) => p.agent_id === byAgent.get("gpu-a")?.id)).toMatchObject({
      status: "success",
      error: null,
    });
    expect(states.find((p) => p.agent_id === byAgent.get("cpu-b")?.id)?.error).toContain("--comfyui-checkpoints");
    expect(readdirSync(checkpointsDir)).toEqual(["tiny.safetensors"]);
    expect(readFileSync(join(checkpointsDir, "tiny.safetensors")).equals(file)).toBe(true);
    expect(byAgent.get("gpu-a")?.backends.comfyui?.models.map((m) => m.name)).toContain("tiny.safetensors");
  });
});
