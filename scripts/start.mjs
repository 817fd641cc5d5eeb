// `npm start`: installs dependencies when missing, builds the web app and the compiled sieve worker
// when stale, then starts local mode (API + rooms + web + embedded agent). Extra arguments go to
// `bench-race serve`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const installedMarker = join(root, "node_modules/.package-lock.json");

function installIfNeeded() {
  const lock = join(root, "package-lock.json");
  const installed =
    existsSync(installedMarker) && (!existsSync(lock) || statSync(lock).mtimeMs <= statSync(installedMarker).mtimeMs);
  if (installed) return;
  process.stdout.write("Installing dependencies (first start; better-sqlite3 may compile for about a minute)...\n");
  const command = existsSync(lock) ? "ci" : "install";
  const result = spawnSync("npm", [command, "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    process.stderr.write(
      "bench-race: installing dependencies failed; see the npm output above, fix it, and run `npm start` again.\n",
    );
    process.exit(1);
  }
}

installIfNeeded();
const { ensureWebBuild } = await import("./ensure-web-build.mjs");
const { ensureSieveWorker } = await import("./ensure-sieve-worker.mjs");
try {
  ensureWebBuild();
  await ensureSieveWorker({ log: (line) => process.stdout.write(`${line}\n`) });
} catch (err) {
  process.stderr.write(`bench-race: ${err.message}\n`);
  process.exit(1);
}
const child = spawn(process.execPath, ["--import", "tsx", "cli.ts", "serve", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
