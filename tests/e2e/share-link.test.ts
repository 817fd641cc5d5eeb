import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/launch-chromium.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

describe("the share link of a finished race", () => {
  let race: LocalRace;
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

describe("a live race seen by the operator and by a spectator", () => {
  let race: LocalRace;
  let browser: Browser;
  beforeAll(async () => {
    race = await startLocalRace({ agentNames: ["lab-1"] });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await race?.stop();
  });

  it("gives the spectator no controls and a watching badge; the operator cancels after confirming", async () => {
    // a sieve far too long to finish during the test: the race stays live until it is cancelled
    const run = await race.startRun({ workload: "compute", agents: ["lab-1"], params: { n: 1e12 } });

    const spectator = await (await browser.newContext()).newPage();
    await spectator.goto(run.share_url);
    await spectator.getByTestId("race-watching").waitFor();
    await spectator.getByTestId("watching-badge").waitFor();
    expect(await spectator.getByTestId("race-watching").textContent()).toBe("watching");
    expect(await spectator.getByTestId("run-status").textContent()).toMatch(/pending|running/);
    expect(await spectator.getByTestId("cancel-button").count()).toBe(0);
    expect(await spectator.getByTestId("delete-button").count()).toBe(0);
    expect(await spectator.locator(".top-bar nav a").allInnerTexts()).toEqual(["Runs", "Fleet"]);

    const operator = await (await browser.newContext()).newPage();
    await operator.goto(`${race.server.url}/login?key=${encodeURIComponent(race.server.operatorKey)}`);
    await operator.getByTestId("sign-out").waitFor();
    await operator.goto(run.share_url);
    await operator.getByTestId("cancel-button").waitFor();
    expect(await operator.getByTestId("race-watching").count()).toBe(0);
    operator.once("dialog", (dialog) => void dialog.accept());
    await operator.getByTestId("cancel-button").click();
    await operator.getByTestId("run-status").filter({ hasText: "cancelled" }).waitFor();
    await spectator.getByTestId("run-status").filter({ hasText: "cancelled" }).waitFor();
    expect(await operator.getByTestId("cancel-button").count()).toBe(0);
  });
});
