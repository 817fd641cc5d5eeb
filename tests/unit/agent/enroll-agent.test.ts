import { mkdtempSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { credentialsFile, loadOrEnroll } from "../../../agent/enroll-agent.ts";

const coordinatorUrl = "http://127.0.0.1:8080";

/** a coordinator that enrolls agents as `lab-<n>` and answers key checks with `keyStatus` */
function fakeCoordinator(keyStatus: number) {
  let enrolled = 0;
  const fetchFn = (async (input: string | URL | Request) => {
    const url = new URL(String(input));
    if (url.pathname === "/api/agents/enroll") {
      enrolled += 1;
      return Response.json({ agent_id: `lab-${enrolled}`, agent_key: `key-${enrolled}` }, { status: 201 });
    }
    return new Response(null, { status: keyStatus });
  }) as typeof fetch;
  return { fetchFn, enrolled: () => enrolled };
}

describe("loadOrEnroll", () => {
  const options = (stateDir: string, fetchFn: typeof fetch) => ({
    stateDir,
    name: "lab",
    coordinatorUrl,
    token: "t",
    fetch: fetchFn,
  });

  it("enrolls once, keeps the key readable by this user only, and reuses it while the coordinator takes it", async () => {
    const stateDir = mkdtempSync(join(os.tmpdir(), "enroll-"));
    const coordinator = fakeCoordinator(426);
    expect(await loadOrEnroll(options(stateDir, coordinator.fetchFn))).toEqual({
      agent_id: "lab-1",
      agent_key: "key-1",
    });
    expect(await loadOrEnroll(options(stateDir, coordinator.fetchFn))).toEqual({
      agent_id: "lab-1",
      agent_key: "key-1",
    });
    expect(coordinator.enrolled()).toBe(1);
    const file = credentialsFile(stateDir, "lab", coordinatorUrl);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, "utf8")).agent_id).toBe("lab-1");
  });

  it("enrolls again when the coordinator no longer knows the key (its data was reset)", async () => {
    const stateDir = mkdtempSync(join(os.tmpdir(), "enroll-"));
    await loadOrEnroll(options(stateDir, fakeCoordinator(426).fetchFn));
    const reset = fakeCoordinator(401);
    expect((await loadOrEnroll(options(stateDir, reset.fetchFn))).agent_id).toBe("lab-1");
    expect(reset.enrolled()).toBe(1);
  });

  it("stops with what to do when the operator revoked the machine", async () => {
    const stateDir = mkdtempSync(join(os.tmpdir(), "enroll-"));
    await loadOrEnroll(options(stateDir, fakeCoordinator(426).fetchFn));
    await expect(loadOrEnroll(options(stateDir, fakeCoordinator(403).fetchFn))).rejects.toThrow(
      /revoked this machine .*delete .*and start the agent again/,
    );
  });
});
