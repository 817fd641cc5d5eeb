/**
 * An llm race driven in Chromium from New race to the finished standings, one lane on the Ollama
 * stand-in: its first pass is held mid-stream so the card's streaming text is seen while the race
 * runs, then the standings show the engine's median tokens/s. Screenshots go to tests/e2e/artifacts/.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, openOperatorPage } from "../helpers/launch-chromium.ts";
import { type LocalRace, startLocalRace } from "../helpers/local-race.ts";
import { type OllamaStandIn, startOllamaStandIn } from "../helpers/ollama-stand-in.ts";

const artifacts = join(import.meta.dirname, "artifacts");

describe("an llm race on the Ollama stand-in, driven in a browser", () => {
  let race: LocalRace;
  let ollama: OllamaStandIn;
  let browser: Browser;
  let operator: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    // the recorded chat streams 14 tokens; the first pass stops after 5 until released
    ollama = await startOllamaStandIn("chat-stream", { holdFirstChat: 5 });
    race = await startLocalRace({ agentNames: [] });
    await race.addAgent("ollama-box", { ollamaUrl: ollama.url });
    browser = await launchChromium();
    operator = await openOperatorPage(browser, race.server, pageErrors);
  });
  afterAll(async () => {
    ollama?.releaseChat();
    await browser?.close();
    await race?.stop();
    await ollama?.close();
  });

  it("streams the answer into the lane card while it runs, then ranks the engine's median tokens/s", async () => {
    await operator.goto(`${race.server.url}/`);
    await operator.locator('input[name="workload"][value="llm"]').check();
    const model = operator.locator(
      '[data-testid="llm-agent"][data-agent-name="ollama-box"] [data-testid="llm-backend"][data-backend="ollama"] [data-testid="model-option"][data-model="llama3.2:latest"]',
    );
    await model.getByTestId("add-lane").click();
    expect(await operator.getByTestId("lane-choice").allInnerTexts()).toEqual([
      expect.stringContaining("ollama-box · ollama · llama3.2:latest"),
    ]);
    await operator.locator('input[name="repeats"]').fill("3");
    await operator.locator('input[name="name"]').fill("Ollama stand-in");
    await operator.getByTestId("race-button").click();
    await operator.waitForURL(/\/runs\/[^/]+$/);

    const text = operator.getByTestId("lane-text");
    await text.filter({ hasText: "The sky looks blue" }).waitFor({ timeout: 30_000 });
    expect(await operator.getByTestId("run-status").textContent()).toContain("running");
    expect(await text.textContent()).not.toContain("scatter");
    await operator.screenshot({ path: join(artifacts, "llm-streaming.png"), fullPage: true });
    ollama.releaseChat();

    await operator.getByTestId("run-status").filter({ hasText: "done" }).waitFor({ timeout: 60_000 });
    expect(ollama.chats).toHaveLength(3);
    const row = operator.getByTestId("summary-row");
    expect(await row.getAttribute("data-agent-name")).toBe("ollama-box");
    expect(await row.getByTestId("place").textContent()).toBe("1");
    // 14 tokens in the engine's 0.654321 s eval time, on every pass
    expect(await row.locator('td[data-label="Median engine gen"]').textContent()).toBe("21.4 tok/s");
    expect(await row.getByTestId("median").textContent()).toMatch(/^[\d,.]+ tok\/s$/);
    expect(await text.textContent()).toMatch(/^The sky looks blue/);
    await operator.screenshot({ path: join(artifacts, "llm-finished.png"), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
