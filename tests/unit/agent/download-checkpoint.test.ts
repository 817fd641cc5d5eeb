import { createHash, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { downloadCheckpoint } from "../../../agent/download-checkpoint.ts";
import type { CheckpointSpec } from "../../../coordinator/protocol/checkpoint.ts";
import { isPrivateHost, parseCheckpointLine } from "../../../coordinator/protocol/checkpoint.ts";

const file = randomBytes(300_000);
const sha256 = createHash("sha256").update(file).digest("hex");
let server: Server;
let base = "";
const ranges: (string | undefined)[] = [];
let dir = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    ranges.push(req.headers.range);
    if (req.url === "/redirect/model.safetensors") {
      res.writeHead(302, { location: "http://10.1.2.3/model.safetensors" });
      return res.end();
    }
    if (req.url === "/endless/model.safetensors") {
      // no length, and bytes for as long as the client reads (bounded so a failing test ends)
      res.writeHead(200);
      let sent = 0;
      const more = () => {
        while (sent < 64 * 2 ** 20 && res.write(file)) sent += file.length;
        if (sent >= 64 * 2 ** 20) res.end();
      };
      res.on("drain", more);
      return more();
    }
    if (req.url === "/huge/model.safetensors") {
      res.writeHead(200, { "content-length": 50 * 2 ** 30 });
      res.write(file.subarray(0, 1000));
      return;
    }
    if (req.url === "/stall/model.safetensors") {
      // a flaky link: the first bytes arrive, then nothing, and the connection stays open
      res.writeHead(200, { "content-length": file.length });
      res.write(file.subarray(0, 1000));
      return;
    }
    if (req.url !== "/files/model.safetensors") {
      res.writeHead(404);
      return res.end();
    }
    const from = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? "")?.[1] ?? "0");
    if (from >= file.length) {
      res.writeHead(416, { "content-range": `bytes */${file.length}` });
      return res.end();
    }
    const body = file.subarray(from);
    res.writeHead(from > 0 ? 206 : 200, {
      "content-length": body.length,
      ...(from > 0 ? { "content-range": `bytes ${from}-${file.length - 1}/${file.length}` } : {}),
    });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  ranges.length = 0;
  dir = mkdtempSync(join(os.tmpdir(), "bench-race-ckpt-"));
  return () => rmSync(dir, { recursive: true, force: true });
});

const spec = (over: Partial<CheckpointSpec> = {}): CheckpointSpec => ({
  name: "model.safetensors",
  label: "Model",
  url: `${base}/files/model.safetensors`,
  sha256,
  allow_private: true,
  ...over,
});
const download = (s: CheckpointSpec, progress: number[] = []) =>
  downloadCheckpoint({ spec: s, dir, signal: new AbortController().signal, onProgress: (done) => progress.push(done) });

describe("downloadCheckpoint", () => {
  it("downloads, verifies the sha256, and only then gives the file its name", async () => {
    const progress: number[] = [];
    const outcome = await download(spec(), progress);
    expect(outcome).toEqual({ ok: true, path: join(dir, "model.safetensors"), resumedFrom: 0 });
    expect(readFileSync(join(dir, "model.safetensors")).equals(file)).toBe(true);
    expect(readdirSync(dir)).toEqual(["model.safetensors"]);
    expect(progress.at(-1)).toBe(file.length);
  });

  it("resumes a partial download with a Range request from the bytes already on disk", async () => {
    writeFileSync(join(dir, ".model.safetensors.part"), file.subarray(0, 120_000));
    const outcome = await download(spec());
    expect(outcome).toEqual({ ok: true, path: join(dir, "model.safetensors"), resumedFrom: 120_000 });
    expect(ranges).toEqual(["bytes=120000-"]);
    expect(readFileSync(join(dir, "model.safetensors")).equals(file)).toBe(true);
  });

  it("deletes a download whose sha256 differs and leaves no file under the checkpoint's name", async () => {
    const outcome = await download(spec({ sha256: "0".repeat(64) }));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.message).toContain(`has sha256 ${sha256}, not the listed ${"0".repeat(64)}`);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a loopback URL unless private addresses are allowed, and a redirect to a private one", async () => {
    const refused = await download(spec({ allow_private: false }));
    expect(!refused.ok && refused.message).toContain("127.0.0.1");
    expect(!refused.ok && refused.message).toContain("loopback or private address");
    const redirected = await downloadCheckpoint({
      spec: spec({ url: "http://models.example/redirect/model.safetensors", allow_private: false }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      resolve: async () => ["93.184.216.34"],
      fetch: (input, init) => fetch(String(input).replace("http://models.example", base), init),
    });
    expect(!redirected.ok && redirected.message).toContain("from 10.1.2.3");
    expect(ranges).toEqual([undefined]);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("connects only to the address it checked: a name that resolves public, then private, is refused", async () => {
    const answers = [["93.184.216.34"], ["127.0.0.1"]];
    const port = new URL(base).port;
    const outcome = await downloadCheckpoint({
      spec: spec({ url: `http://rebind.example:${port}/files/model.safetensors`, allow_private: false }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      resolve: async () => answers.shift() ?? ["127.0.0.1"],
    });
    expect(!outcome.ok && outcome.message).toContain("rebind.example");
    expect(!outcome.ok && outcome.message).toContain("loopback or private address");
    expect(ranges).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
    const allowed = await downloadCheckpoint({
      spec: spec({ url: `http://mirror.lab:${port}/files/model.safetensors`, allow_private: true }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      resolve: async () => ["127.0.0.1"],
    });
    expect(allowed).toEqual({ ok: true, path: join(dir, "model.safetensors"), resumedFrom: 0 });
  });

  it("gives up on a connection that stops sending, keeping the bytes so far for a resume", async () => {
    const outcome = await downloadCheckpoint({
      spec: spec({ url: `${base}/stall/model.safetensors` }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      idleTimeoutMs: 200,
    });
    expect(outcome).toEqual({
      ok: false,
      message:
        "The download of model.safetensors broke off at 1000 bytes (nothing arrived for 0.2 s); sync again to resume it.",
    });
    expect(readFileSync(join(dir, ".model.safetensors.part"))).toEqual(file.subarray(0, 1000));
  });

  it("stops a download of unknown length at the size limit and deletes what it wrote", async () => {
    const outcome = await downloadCheckpoint({
      spec: spec({ url: `${base}/endless/model.safetensors` }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      maxBytes: 2_000_000,
    });
    expect(outcome).toEqual({
      ok: false,
      message: expect.stringMatching(
        /^model\.safetensors is larger than 0\.0 GiB \(0\.0 GiB so far\); the download was stopped and deleted\. Check the URL\.$/,
      ),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses an announced size past the limit, or past the disk's free space, before writing a byte", async () => {
    const huge = spec({ url: `${base}/huge/model.safetensors` });
    const signal = new AbortController().signal;
    const tooLarge = await downloadCheckpoint({
      spec: huge,
      dir,
      signal,
      onProgress: () => {},
      maxBytes: 10 * 2 ** 30,
    });
    expect(tooLarge).toEqual({
      ok: false,
      message:
        "model.safetensors is larger than 10.0 GiB (50.0 GiB announced); the download was stopped and deleted. Check the URL.",
    });
    const noRoom = await downloadCheckpoint({
      spec: huge,
      dir,
      signal,
      onProgress: () => {},
      maxBytes: 64 * 2 ** 30,
      freeSpace: async () => 40 * 2 ** 30,
    });
    expect(noRoom).toEqual({
      ok: false,
      message: `Not enough disk space for model.safetensors in ${dir}: 40.0 GiB free, 50.0 GiB more needed and 1.0 GiB kept free. Free some space and sync again to resume it.`,
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("refuses a redirect to anything but http(s)", async () => {
    const outcome = await downloadCheckpoint({
      spec: spec({ url: "http://models.example/files/model.safetensors" }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      fetch: async () => new Response(null, { status: 302, headers: { location: "file:///etc/passwd" } }),
    });
    expect(!outcome.ok && outcome.message).toContain("redirected to file:");
    const broken = await downloadCheckpoint({
      spec: spec({ url: "http://models.example/files/model.safetensors" }),
      dir,
      signal: new AbortController().signal,
      onProgress: () => {},
      fetch: async () => new Response(null, { status: 302, headers: { location: "http://[::1/m.safetensors" } }),
    });
    expect(broken).toEqual({
      ok: false,
      message:
        'http://models.example/files/model.safetensors redirected to "http://[::1/m.safetensors", which is not a URL; check the checkpoint\'s URL.',
    });
  });

  it("refuses names with path separators before touching the disk", async () => {
    for (const name of [
      "../evil.safetensors",
      "sub/model.safetensors",
      "..\\evil.safetensors",
      ".hidden.safetensors",
    ]) {
      const outcome = await download(spec({ name }));
      expect(outcome.ok).toBe(false);
    }
    expect(ranges).toEqual([]);
    expect(existsSync(join(dir, "..", "evil.safetensors"))).toBe(false);
  });
});

describe("parseCheckpointLine", () => {
  it("reads label | url | sha256 and takes the file name from the URL", () => {
    expect(
      parseCheckpointLine(
        `SDXL base | https://models.example/sdxl/sd_xl_base_1.0.safetensors | sha256:${sha256.toUpperCase()}`,
        1,
        false,
      ),
    ).toEqual({
      ok: true,
      spec: {
        name: "sd_xl_base_1.0.safetensors",
        label: "SDXL base",
        url: "https://models.example/sdxl/sd_xl_base_1.0.safetensors",
        sha256,
        allow_private: false,
      },
    });
  });

  it.each([
    ["only a label", "line 2: write it as `label | url | sha256:<64 hex digits>`"],
    [
      `x | https://a.example/m.safetensors | md5:abc`,
      "line 2: the third part must be sha256: followed by 64 hex digits",
    ],
    [`x | http://192.168.1.5/m.safetensors | sha256:${sha256}`, "line 2: 192.168.1.5 is a loopback or private address"],
    [`x | https://a.example/..%2Fm.safetensors | sha256:${sha256}`, "line 2: the file name must be a plain"],
    [`x | https://a.example/m%E0%A4%A.safetensors | sha256:${sha256}`, "line 2: the file name in the URL is not valid"],
  ])("refuses %s", (line, message) => {
    const parsed = parseCheckpointLine(line, 2, false);
    expect(!parsed.ok && parsed.message).toContain(message);
  });

  it("knows private and public hosts", () => {
    expect(
      [
        "localhost",
        "127.0.0.1",
        "10.0.0.1",
        "172.20.1.1",
        "192.168.0.1",
        "169.254.1.1",
        "[::1]",
        "fd00::1",
        "::ffff:127.0.0.1",
      ].map(isPrivateHost),
    ).toEqual(Array(9).fill(true));
    expect(["huggingface.co", "93.184.216.34", "2606:4700::1111"].map(isPrivateHost)).toEqual([false, false, false]);
  });

  it("sees loopback and private IPv4 inside IPv6 forms as a URL writes them, and odd IPv6 ranges", () => {
    const hosts = [
      "http://[::ffff:127.0.0.1]/m.safetensors",
      "http://[::ffff:10.0.0.1]/m.safetensors",
      "http://[::127.0.0.1]/m.safetensors",
      "http://[64:ff9b::192.168.1.1]/m.safetensors",
      "http://[fec0::1]/m.safetensors",
      "http://[ff02::1]/m.safetensors",
      "http://[fe80::1]/m.safetensors",
      "http://localhost./m.safetensors",
    ].map((url) => new URL(url).hostname);
    expect(hosts[0]).toBe("[::ffff:7f00:1]");
    expect(hosts.filter((host) => !isPrivateHost(host))).toEqual([]);
    expect(isPrivateHost("not:an:ip:address")).toBe(true);
    expect(["[::ffff:5db8:d822]", "[64:ff9b::5db8:d822]"].map(isPrivateHost)).toEqual([false, false]);
  });
});
