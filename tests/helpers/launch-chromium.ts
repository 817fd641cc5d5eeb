/** Debian's Chromium, headless, with the flags this closed network needs (DESIGN.md section 6); playwright gives it a fresh profile. */
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

export const chromiumPath = "/usr/bin/chromium";

export function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `No Chromium at ${chromiumPath}: the browser tests need Debian's chromium (apt-get install -y chromium).`,
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * A 1280 x 900 page signed in as the operator through the dashboard link, as `npm start` prints it;
 * the page's uncaught errors are pushed to `pageErrors`.
 */
export async function openOperatorPage(
  browser: Browser,
  server: { url: string; operatorKey: string },
  pageErrors: string[],
  options: { acceptDownloads?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}/login?key=${encodeURIComponent(server.operatorKey)}`);
  await page.getByTestId("sign-out").waitFor();
  return page;
}
