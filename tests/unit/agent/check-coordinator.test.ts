import { describe, expect, it } from "vitest";
import { checkCoordinator } from "../../../agent/check-coordinator.ts";

const answering = (status: number, body: string) => (async () => new Response(body, { status })) as typeof fetch;

describe("the agent's coordinator check", () => {
  it("accepts a coordinator that answers bench-race's health, local or cloud", async () => {
    const health = await checkCoordinator(
      "https://bench-race.lab.partykit.dev",
      answering(200, JSON.stringify({ ok: true, version: "0.1.0", mode: "cloud" })),
    );
    expect(health).toEqual({ ok: true, version: "0.1.0", mode: "cloud" });
  });

  it("refuses a PartyKit room or another server, saying which URL to give", async () => {
    const room = checkCoordinator(
      "https://elsewhere.partykit.dev/parties/race/x",
      answering(401, '{"error":{"code":"unauthorized"}}'),
    );
    await expect(room).rejects.toThrow(
      "https://elsewhere.partykit.dev/parties/race/x answered 401 to /api/health without bench-race's health: give --coordinator the URL of a bench-race coordinator",
    );
    const page = checkCoordinator("http://router.lan", answering(200, "<html>router login</html>"));
    await expect(page).rejects.toThrow("http://router.lan answered 200 to /api/health without bench-race's health");
  });

  it("says when nothing answers, with the cause", async () => {
    const refused = (async () => {
      throw new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8080") });
    }) as typeof fetch;
    await expect(checkCoordinator("http://127.0.0.1:8080", refused)).rejects.toThrow(
      "The coordinator at http://127.0.0.1:8080 is not reachable (connect ECONNREFUSED 127.0.0.1:8080). Check the URL and that it is running.",
    );
  });
});
