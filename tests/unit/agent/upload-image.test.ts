import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { FinishedImage } from "../../../agent/runner.ts";
import { uploadImage } from "../../../agent/upload-image.ts";

const image: FinishedImage = {
  index: 0,
  media_type: "image/png",
  bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
  width: 512,
  height: 512,
};
const sha256 = createHash("sha256").update(image.bytes).digest("hex");
const receipt = (hash = sha256) =>
  new Response(JSON.stringify({ sha256: hash, media_type: "image/png", bytes: image.bytes.length }), {
    status: 201,
    headers: { "content-type": "application/json" },
  });

/** A fetch answering from `answers` in turn, recording each request. */
function scripted(answers: Array<Response | Error>) {
  const requests: { url: string; headers: Headers; body: Uint8Array }[] = [];
  const fetchFn: typeof fetch = async (input, init) => {
    requests.push({
      url: String(input),
      headers: new Headers(init?.headers),
      body: new Uint8Array(init?.body as Uint8Array),
    });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    if (next instanceof Error) throw next;
    return next;
  };
  return { fetchFn, requests };
}

const upload = (fetchFn: typeof fetch) =>
  uploadImage({
    coordinatorUrl: "http://coordinator.test:8080",
    agentKey: "key-1",
    runId: "run 1",
    laneId: "l0",
    image,
    fetch: fetchFn,
    backoffMs: 1,
  });

describe("uploadImage", () => {
  it("posts the bytes with the agent's key and type to the lane's route and returns the checked hash", async () => {
    const { fetchFn, requests } = scripted([receipt()]);
    expect(await upload(fetchFn)).toEqual({ ok: true, sha256 });
    expect(requests[0]?.url).toBe("http://coordinator.test:8080/api/runs/run%201/lanes/l0/images");
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer key-1");
    expect(requests[0]?.headers.get("content-type")).toBe("image/png");
    expect(requests[0]?.body).toEqual(image.bytes);
  });

  it("retries a refused connection and a 5xx, then succeeds", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const { fetchFn, requests } = scripted([refused, new Response("busy", { status: 503 }), receipt()]);
    expect(await upload(fetchFn)).toEqual({ ok: true, sha256 });
    expect(requests).toHaveLength(3);
  });

  it("gives up after three failed attempts, saying why", async () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } });
    const { fetchFn } = scripted([refused, refused, refused]);
    expect(await upload(fetchFn)).toEqual({
      ok: false,
      message:
        "the coordinator at http://coordinator.test:8080 did not answer (ECONNREFUSED); check that the coordinator is up",
    });
  });

  it("does not retry a refusal and reports a stored hash that differs from the bytes'", async () => {
    const { fetchFn, requests } = scripted([
      new Response(JSON.stringify({ error: { code: "forbidden", message: "not your lane" } }), { status: 403 }),
    ]);
    expect(await upload(fetchFn)).toEqual({
      ok: false,
      message: "the coordinator refused it (HTTP 403: not your lane)",
    });
    expect(requests).toHaveLength(1);
    const wrong = await upload(scripted([receipt("f".repeat(64))]).fetchFn);
    expect(!wrong.ok && wrong.message).toContain("stored a different hash");
  });
});
