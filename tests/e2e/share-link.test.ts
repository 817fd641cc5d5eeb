import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/launch-chromium.ts";
import { startLocalRace } from "../helpers/local-race.ts";

describe("the share link of a finished race", () => {
  let race: Awaited<ReturnType<typeof startLocalRace>>;
  let browser: Browser;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1", "lab-2"] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await race?.stop();
  });

  it("shows both machines with their prime counts to a spectator", async () => {
    const run = await race.startRun({ workload: "compute", agents: ["lab-1", "lab-2"], params: { n: 1_000_000 } });
    await race.raceFinished(run.id);

    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(run.share_url);
    await page.getByTestId("run-status").filter({ hasText: /done/i }).waitFor();
    await page.getByTestId("primes-found").nth(1).waitFor();
    const cards = page.getByTestId("lane-card");
    expect(await cards.count()).toBe(2);
    const names = await cards.evaluateAll((els) => els.map((el) => el.getAttribute("data-agent-name")));
    expect(names.sort()).toEqual(["lab-1", "lab-2"]);
    expect(await page.getByTestId("primes-found").allInnerTexts()).toEqual(["78,498", "78,498"]);
    expect(pageErrors).toEqual([]);
  });
});
