// Builds the web app when web/dist is missing or older than its sources. Plain JavaScript so
// that `npm start` can use it before anything is installed; the e2e tests use it too.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const sources = ["web/src", "web/index.html", "web/vite.config.ts", "coordinator/protocol"];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

/** True when web/dist/index.html is missing or older than any web source. */
export function webBuildIsStale() {
  const built = join(root, "web/dist/index.html");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  return sources.some((source) => newestMtime(join(root, source)) > builtAt);
}

export function ensureWebBuild({ log = (line) => process.stdout.write(`${line}\n`) } = {}) {
  if (!webBuildIsStale()) return;
  log("Building the web app (vite build)...");
  const result = spawnSync("npx", ["vite", "build", "--config", "web/vite.config.ts", "--logLevel", "warn"], {
    cwd: root,
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error("The web app build failed; see the output above.");
}
