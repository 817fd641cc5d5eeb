import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type DoctorOptions, runDoctor, toDoctorReport } from "../../../ops/doctor.ts";

const dir = mkdtempSync(join(os.tmpdir(), "bench-race-doctor-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** answers the coordinator's health and Ollama's version; anything else is refused */
const fakeFetch = (async (input: string | URL | Request) => {
  const url = String(input);
  if (url.endsWith("/api/health")) return Response.json({ ok: true, version: "0.1.0", mode: "cloud" });
  if (url.endsWith("/api/version")) return Response.json({ version: "0.12.0" });
  throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED") });
}) as typeof fetch;

const base: DoctorOptions = {
  nodeVersion: "20.20.2",
  requiredNode: ">=20.19",
  dataDir: join(dir, "data"),
  host: "127.0.0.1",
  port: 0,
  webIndex: "web/dist/index.html",
  webIndexExists: true,
  ollamaUrl: "http://127.0.0.1:11434",
  openaiUrl: "http://127.0.0.1:1234",
  coordinatorUrl: "https://bench.example.org",
  loadDatabaseDriver: async () => {},
  fetch: fakeFetch,
};

const statuses = (checks: Awaited<ReturnType<typeof runDoctor>>) =>
  Object.fromEntries(checks.map((check) => [check.name, check.status]));

describe("bench-race doctor", () => {
  it("passes a machine with what it needs, warning about an engine that does not answer", async () => {
    const checks = await runDoctor(base);
    expect(statuses(checks)).toEqual({
      node: "ok",
      "data dir": "ok",
      database: "ok",
      port: "ok",
      "web app": "ok",
      ollama: "ok",
      "openai-compatible": "warn",
      coordinator: "ok",
    });
    expect(checks.find((c) => c.name === "coordinator")?.detail).toBe(
      "https://bench.example.org is bench-race 0.1.0 (cloud mode)",
    );
    expect(toDoctorReport(checks).trim().split("\n").at(-1)).toBe("Nothing to fix.");
  });

  it("fails an old Node, an unwritable data dir, a taken port and a driver that does not load, each with its fix", async () => {
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, "127.0.0.1", done));
    const port = (blocker.address() as { port: number }).port;
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const checks = await runDoctor({
      ...base,
      nodeVersion: "18.19.0",
      dataDir: join(file, "data"),
      port,
      webIndexExists: false,
      fetch: (async () => new Response("nginx", { status: 502 })) as typeof fetch,
      loadDatabaseDriver: async () => {
        throw new Error("NODE_MODULE_VERSION 115");
      },
    });
    await new Promise<void>((done) => blocker.close(() => done()));
    expect(statuses(checks)).toMatchObject({
      node: "fail",
      "data dir": "fail",
      database: "fail",
      port: "fail",
      "web app": "warn",
      coordinator: "fail",
    });
    const report = toDoctorReport(checks);
    expect(report).toContain("-> install Node 20.19 or newer");
    expect(report).toContain("-> pass --port (PORT) with a free port");
    expect(report).toContain("-> run `npm rebuild better-sqlite3`");
    expect(report.trim().split("\n").at(-1)).toBe("5 things to fix.");
  });

  it("checks that the rooms of cloud mode answer and take the sink secret", async () => {
    const rooms = (status: number) =>
      runDoctor({
        ...base,
        coordinatorUrl: undefined,
        rooms: { url: "https://bench.example.partykit.dev", sinkSecret: "s".repeat(32) },
        fetch: (async (input: string | URL | Request, init?: RequestInit) => {
          if (String(input).endsWith("/parties/race/doctor-check") && init?.method === "POST")
            return new Response("{}", { status });
          return fakeFetch(input, init);
        }) as typeof fetch,
      }).then((checks) => checks.find((check) => check.name === "rooms"));
    expect(await rooms(400)).toMatchObject({ status: "ok" });
    expect(await rooms(401)).toMatchObject({
      status: "fail",
      detail: "https://bench.example.partykit.dev refused the sink secret",
    });
    expect(await rooms(404)).toMatchObject({
      status: "fail",
      fix: "set BENCH_ROOMS_URL to the PartyKit URL of the deployed rooms",
    });
  });
});
