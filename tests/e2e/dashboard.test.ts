/**
 * The dashboard as a user drives it in Chromium against local mode: a compute race from the New
 * race form to the finished standings, its share link opened by a spectator (no controls), a race
 * cut short by a restart (interrupted, each lane's error, no controls), and the Runs page
 * (filter, CSV export, delete). Screenshots go to tests/e2e/artifacts/ (ignored by git).
 */
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../db/client.ts";
import { insertRun } from "../../db/runs.ts";
import { launchChromium, openOperatorPage } from "../helpers/launch-chromium.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

const artifacts = join(import.meta.dirname, "artifacts");
const cutRunId = "cut-short-run-0001";

/** A data dir holding a race that was running when the coordinator stopped. */
function dataDirWithCutRace(): string {
  const dataDir = mkdtempSync(join(os.tmpdir(), "bench-race-e2e-"));
  const database = openDatabase(join(dataDir, "bench-race.db"));
  insertRun(database.db, {
    run: {
      id: cutRunId,
      workload: "compute",
      params: { n: 1e9 },
      repeats: 1,
      warmup: 0,
      created_at: Date.now() - 60_000,
    },
    lanes: [
      {
        lane_id: "l0",
        index: 0,
        agent_id: "old-box-1",
        agent_name: "old-box",
        backend: "compute",
        model: null,
        params: { n: 1e9 },
      },
    ],
    name: "Cut short",
  });
  database.close();
  return dataDir;
}

describe("the dashboard, driven in a browser", () => {
  let race: LocalRace;
  let browser: Browser;
  let operator: Page;
  const pageErrors: string[] = [];
  let finishedUrl = "";

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    race = await startLocalRace({ agentNames: ["lab-1", "lab-2"], dataDir: dataDirWithCutRace() });
    browser = await launchChromium();
    operator = await openOperatorPage(browser, race.server, pageErrors, { acceptDownloads: true });
  });
  afterAll(async () => {
    await browser?.close();
    await race?.stop();
  });

  it("runs a named compute race from New race to the finished standings, places and gaps", async () => {
    await operator.goto(`${race.server.url}/`);
    await operator.getByTestId("agent-option").nth(1).waitFor();
    for (const name of ["lab-1", "lab-2"]) {
      await operator.locator(`[data-testid="agent-option"][data-agent-name="${name}"] input`).check();
    }
    await operator.getByTestId("compute-preset").selectOption("segmented");
    expect(await operator.locator('input[name="n"]').inputValue()).toBe("50,000,000");
    await operator.locator('input[name="repeats"]').fill("2");
    await operator.locator('input[name="name"]').fill("Lab one vs lab two");
    await operator.getByTestId("race-button").click();
    await operator.waitForURL(/\/runs\/[^/]+$/);
    finishedUrl = operator.url();
    await operator.getByTestId("run-status").filter({ hasText: "done" }).waitFor({ timeout: 60_000 });
    expect(await operator.getByTestId("race-title").textContent()).toBe("Lab one vs lab two");
    expect(await operator.title()).toBe("Lab one vs lab two · done · bench-race");
    const places = await operator.getByTestId("place").allInnerTexts();
    expect(places.sort()).toEqual(["1", "2"]);
    const gaps = await operator.getByTestId("gap").allInnerTexts();
    expect(gaps[0]).toBe("leader");
    expect(gaps[1]).toMatch(/^(\+.+ slower|leader)$/);
    expect(await operator.getByTestId("lane-place").allInnerTexts()).toHaveLength(2);
    expect(await operator.getByTestId("primes-found").allInnerTexts()).toEqual(["3,001,134", "3,001,134"]);
    await operator.getByTestId("lane-start").first().waitFor();
    await operator.screenshot({ path: join(artifacts, "finished-race.png"), fullPage: true });
    expect(await operator.getByTestId("delete-button").count()).toBe(1);
    expect(await operator.getByTestId("cancel-button").count()).toBe(0);
    expect(await operator.getByTestId("race-ghost-link").getAttribute("href")).toBe(
      `/?ghost=${encodeURIComponent(operator.url().split("/").pop() ?? "")}`,
    );
  });

  it("shows a live race with its clock, chart and the ghost of the first race, and gives a spectator no controls", async () => {
    // long enough to stay live while the pages are looked at; cancelled at the end
    const ghostRunId = finishedUrl.split("/").pop();
    const run = await race.startRun({
      workload: "compute",
      agents: ["lab-1", "lab-2"],
      params: { n: 2e11, threads: 1 },
      ghost_run_id: ghostRunId,
    });
    await operator.goto(run.share_url);
    await operator.getByTestId("run-status").filter({ hasText: "running" }).waitFor({ timeout: 30_000 });
    await operator.getByTestId("elapsed-clock").first().waitFor();
    await operator.getByTestId("ghost-lane").nth(1).waitFor();
    expect(await operator.getByTestId("ghost-lanes").locator("h2").textContent()).toContain(ghostRunId?.slice(0, 8));
    await operator.locator(".speed-chart canvas").first().waitFor({ timeout: 30_000 });
    await operator.screenshot({ path: join(artifacts, "live-race.png"), fullPage: true });

    const spectator = await (await browser.newContext()).newPage();
    await spectator.goto(run.share_url);
    await spectator.getByTestId("race-watching").waitFor();
    await spectator.getByTestId("lane-card").nth(1).waitFor();
    for (const control of ["cancel-button", "delete-button", "race-button"]) {
      expect(await spectator.getByTestId(control).count()).toBe(0);
    }
    await spectator.goto(`${race.server.url}/`);
    await spectator.getByTestId("spectator-notice").waitFor();
    expect(await spectator.getByTestId("race-button").count()).toBe(0);
    await spectator.context().close();

    operator.once("dialog", (dialog) => void dialog.accept());
    await operator.getByTestId("cancel-button").click();
    await operator.getByTestId("run-status").filter({ hasText: "cancelled" }).waitFor();
  });

  it("opens a race cut short by a restart as interrupted, with each lane's error and no controls", async () => {
    await operator.goto(`${race.server.url}/runs/${cutRunId}`);
    await operator.getByTestId("run-status").filter({ hasText: "interrupted" }).waitFor();
    expect(await operator.getByTestId("lane-status").allInnerTexts()).toEqual(["lost"]);
    expect((await operator.getByTestId("lane-error").textContent())?.length).toBeGreaterThan(10);
    expect(await operator.getByTestId("cancel-button").count()).toBe(0);
  });

  it("filters the runs list in the URL, exports CSV with status columns, and deletes a run after confirming", async () => {
    await operator.goto(`${race.server.url}/runs`);
    await operator.getByTestId("run-row").nth(2).waitFor();
    await operator.locator('select[name="status"]').selectOption("interrupted");
    await operator.waitForURL(/status=interrupted/);
    await operator.getByTestId("run-row").first().waitFor();
    expect(await operator.getByTestId("run-row").count()).toBe(1);
    expect(await operator.getByTestId("run-row").first().textContent()).toContain("Cut short");

    const download = operator.waitForEvent("download");
    await operator.getByTestId("run-row").first().getByText("CSV").click();
    const csv = readFileSync(await (await download).path(), "utf8");
    const [header, row] = csv.split(/\r?\n/);
    expect(header).toContain("status");
    expect(row).toContain("old-box");
    expect(row).toContain("lost");

    operator.once("dialog", (dialog) => void dialog.accept());
    await operator.getByTestId("delete-run").click();
    await operator.getByTestId("runs-empty").waitFor();
    expect(await operator.getByTestId("runs-empty").textContent()).toContain("No interrupted runs.");
    expect((await race.api(`/api/runs/${cutRunId}`)).status).toBe(404);
  });

  it("fits a 360 px phone in dark mode with no sideways scrolling", async () => {
    const phone = await (
      await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme: "dark" })
    ).newPage();
    for (const [url, shot] of [
      [finishedUrl, "phone-finished-race.png"],
      [`${race.server.url}/runs`, "phone-runs.png"],
    ] as const) {
      await phone.goto(url);
      await phone.locator("main h1").waitFor();
      await phone
        .getByTestId(shot === "phone-runs.png" ? "run-row" : "summary-row")
        .first()
        .waitFor();
      const width = await phone.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(360);
      await phone.screenshot({ path: join(artifacts, shot), fullPage: true });
    }
    await phone.context().close();
  });

  it("shows the fleet with hardware and the add-a-machine command", async () => {
    await operator.goto(`${race.server.url}/fleet`);
    await operator.getByTestId("machine").nth(1).waitFor();
    await operator.getByTestId("enroll-command").waitFor();
    await operator.screenshot({ path: join(artifacts, "fleet.png"), fullPage: true });
    expect(await operator.getByTestId("revoke-button").count()).toBe(2);
    expect(pageErrors).toEqual([]);
  });
});
