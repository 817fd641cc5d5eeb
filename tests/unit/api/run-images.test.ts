import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createImageStore } from "../../../coordinator/api/image-store.ts";
import { deriveAgentKey } from "../../../coordinator/protocol/agent-key.ts";
import { insertRun } from "../../../db/runs.ts";
import { createTestApi, type TestApi } from "../../helpers/api-test-app.ts";

const secret = "agent-key-secret-0123456789";
/** bytes that sniff as PNG, told apart by their last byte */
const png = (n: number) => new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, n]);

describe("POST /api/runs/:id/lanes/:lane/images", () => {
  let api: TestApi;
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(os.tmpdir(), "bench-race-images-"));
    api = createTestApi({ agentKeySecret: secret, images: createImageStore(dir) });
    const params = { prompt: "a lighthouse", images: 2 };
    insertRun(api.db, {
      run: { id: "r1", workload: "image", params, repeats: 1, warmup: 1, created_at: 0 },
      lanes: [{ lane_id: "l0", index: 0, agent_id: "a1", agent_name: "box", backend: "comfyui", model: "m", params }],
    });
  });
  afterEach(() => {
    api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (body: Uint8Array<ArrayBuffer>) =>
    api.app.request("/api/runs/r1/lanes/l0/images", {
      method: "POST",
      headers: { authorization: `Bearer ${await deriveAgentKey(secret, "a1")}`, "content-type": "image/png" },
      body,
    });

  it("takes as many distinct images as the lane's passes make, a repeated one again, and refuses more", async () => {
    // 2 images a pass, 1 warm-up and 1 measured pass: 4 images
    const statuses = [];
    for (const n of [1, 2, 3, 4, 4]) statuses.push((await upload(png(n))).status);
    expect(statuses).toEqual([201, 201, 201, 201, 201]);
    const refused = await upload(png(5));
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: {
        code: "too_many_images",
        message:
          "Lane l0 of run r1 already holds 4 images, all its passes make (2 a pass, 2 passes); it takes no more.",
      },
    });
  });
});

describe("image store", () => {
  let dir = "";
  beforeEach(() => {
    dir = mkdtempSync(join(os.tmpdir(), "bench-race-image-store-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

  it("asks whether a file is unheld only once an earlier write of the same bytes is recorded, and keeps it", async () => {
    const store = createImageStore(dir);
    await store.put(png(7), () => {});
    const order: string[] = [];
    let held = false;
    // another run uploads the same bytes while a deleted run's copy is being removed
    const put = store.put(png(7), () => {
      held = true;
      order.push("recorded");
    });
    const removal = store.remove(sha256(png(7)), () => {
      order.push("asked");
      return !held;
    });
    await Promise.all([put, removal]);
    expect(order).toEqual(["recorded", "asked"]);
    expect(await store.get(sha256(png(7)))).toEqual(Buffer.from(png(7)));
  });

  it("removes a file no run holds, and a later upload of it writes it again", async () => {
    const store = createImageStore(dir);
    const hash = await store.put(png(8), () => {});
    await store.remove(hash, () => true);
    expect(await store.get(hash)).toBeNull();
    expect(await store.put(png(8), () => {})).toBe(hash);
    expect(await store.get(hash)).toEqual(Buffer.from(png(8)));
  });
});
