/** Vitest global set-up of the e2e project: the browser tests need a current web build. */
import { ensureWebBuild } from "../../scripts/ensure-web-build.mjs";

export default function setup(): void {
  ensureWebBuild({ log: () => {} });
}
