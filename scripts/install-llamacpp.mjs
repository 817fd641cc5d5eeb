#!/usr/bin/env node
/**
 * Installs the embedded llama.cpp engine (node-llama-cpp with this platform's CPU binary from npm) into its own
 * prefix, node_modules/.llamacpp: out of package.json (its GPU variants weigh ~732 MB) and out of the project's
 * tree, so `npm ci`/`npm ls` never see its hundred packages. Runs no install scripts, so nothing is fetched from
 * GitHub. Idempotent: exits at once when the pinned version is already there.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const version = "3.21.1";
/** npm's package of prebuilt CPU binaries for each platform node-llama-cpp ships */
const binaryPackages = {
  "linux-x64": "@node-llama-cpp/linux-x64",
  "linux-arm64": "@node-llama-cpp/linux-arm64",
  "linux-arm": "@node-llama-cpp/linux-armv7l",
  "darwin-arm64": "@node-llama-cpp/mac-arm64-metal",
  "darwin-x64": "@node-llama-cpp/mac-x64",
  "win32-x64": "@node-llama-cpp/win-x64",
  "win32-arm64": "@node-llama-cpp/win-arm64",
};

const prefix = join(dirname(fileURLToPath(import.meta.url)), "..", "node_modules", ".llamacpp");
const binaryPackage = binaryPackages[`${process.platform}-${process.arch}`];
if (!binaryPackage) {
  console.error(`node-llama-cpp ${version} ships no prebuilt binary for ${process.platform}-${process.arch}.`);
  process.exit(1);
}

const installedVersion = (name) => {
  const file = join(prefix, "node_modules", name, "package.json");
  return existsSync(file) ? JSON.parse(readFileSync(file, "utf8")).version : null;
};
if (installedVersion("node-llama-cpp") === version && installedVersion(binaryPackage) === version) {
  console.log(`node-llama-cpp ${version} (${binaryPackage}) is already installed in ${prefix}`);
  process.exit(0);
}

mkdirSync(prefix, { recursive: true });
const manifest = { name: "bench-race-llamacpp", private: true, dependencies: { "node-llama-cpp": version } };
manifest.dependencies[binaryPackage] = version;
writeFileSync(join(prefix, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`Installing node-llama-cpp ${version} and ${binaryPackage} into ${prefix}...`);
const npm = spawnSync(
  process.platform === "win32" ? "npm.cmd" : "npm",
  ["install", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund", "--no-package-lock"],
  { cwd: prefix, stdio: "inherit", shell: process.platform === "win32" },
);
if (npm.status !== 0) {
  console.error(`npm install in ${prefix} failed (exit ${npm.status ?? npm.signal}).`);
  process.exit(1);
}
console.log(`node-llama-cpp ${version} is installed; the agent's llamacpp backend will find it.`);
