/**
 * The Settings page in Chromium: the operator saves a model policy and the default repeats, finds
 * them kept after a reload and sees the New race form start from them; a spectator reads the same
 * settings with nothing to change. Screenshots go to tests/e2e/artifacts/ (ignored by git).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, openOperatorPage } from "../helpers/launch-chromium.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";

const artifacts = join(import.meta.dirname, "artifacts");

describe("the lab's settings, driven in a browser", () => {
  let race: LocalRace;
  let browser: Browser;
  let operator: Page;
  const pageErrors: string[] = [];

  /** resolves when the page's next settings save has been answered */
  const saved = (page: Page) =>
    page.waitForResponse((res) => res.url().endsWith("/api/settings") && res.request().method() === "PUT");

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    race = await startLocalRace({ agentNames: ["lab-1"] });
    browser = await launchChromium();
    operator = await openOperatorPage(browser, race.server, pageErrors);
  });
  afterAll(async () => {
    await browser?.close();
    await race?.stop();
  });

  it("keeps the operator's model policy and default repeats across a reload, and a new race starts from them", async () => {
    await operator.goto(`${race.server.url}/settings`);
    await operator.locator('input[name="default-repeats"]:not([disabled])').waitFor();

    await operator.locator('input[name="policy-model"]').fill("qwen2.5:0.5b");
    const policySaved = saved(operator);
    await operator.getByTestId("add-policy-model").click();
    expect((await policySaved).status()).toBe(200);

    const repeats = operator.locator('input[name="default-repeats"]');
    await repeats.fill("4");
    const repeatsSaved = saved(operator);
    await repeats.press("Tab");
    expect((await repeatsSaved).status()).toBe(200);

    await operator.reload();
    await operator.locator('[data-testid="policy-row"][data-model="qwen2.5:0.5b"]').waitFor();
    expect(await operator.getByTestId("policy-cell").getAttribute("data-coverage")).toBe("unreachable");
    expect(await operator.locator('input[name="default-repeats"]').inputValue()).toBe("4");
    expect(await operator.locator('input[name="default-warmup"]').inputValue()).toBe("0");
    await operator.screenshot({ path: join(artifacts, "settings-operator.png"), fullPage: true });
    expect(await (await race.api("/api/settings")).json()).toEqual({
      settings: { models: ["qwen2.5:0.5b"], repeats: 4, warmup: 0 },
    });

    await operator.getByRole("link", { name: "New race" }).click();
    await operator.getByTestId("agent-option").first().waitFor();
    expect(await operator.locator('input[name="repeats"]').inputValue()).toBe("4");
    expect(await operator.locator('input[name="warmup"]').inputValue()).toBe("0");
    expect(pageErrors).toEqual([]);
  });

  it("shows a spectator the same settings with nothing to change", async () => {
    const spectator = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await spectator.goto(`${race.server.url}/settings`);
    await spectator.locator('[data-testid="policy-row"][data-model="qwen2.5:0.5b"]').waitFor();
    expect(await spectator.locator('input[name="default-repeats"]').inputValue()).toBe("4");
    expect(await spectator.locator('input[name="default-repeats"]').isDisabled()).toBe(true);
    expect(await spectator.locator('input[name="default-warmup"]').isDisabled()).toBe(true);
    expect(await spectator.locator('input[name="policy-model"]').count()).toBe(0);
    expect(await spectator.getByRole("button", { name: "Remove" }).count()).toBe(0);
    expect(await spectator.getByTestId("pull-missing").count()).toBe(0);
    await spectator.screenshot({ path: join(artifacts, "settings-spectator.png"), fullPage: true });
    await spectator.context().close();
  });
});
