// Where the sieve worker's code comes from, and which kernel it is. Plain JavaScript so that
// `npm start` can build the worker bundle before tsx is in play; the agent reads it too.
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readdirSync, readFileSync, readSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const folder = fileURLToPath(new URL(".", import.meta.url));
const root = join(folder, "../../..");

/** the worker's TypeScript entry, run through tsx when no fresh bundle exists */
export const sieveWorkerSource = join(folder, "sieve-worker.ts");
/** the compiled worker, built by scripts/ensure-sieve-worker.mjs */
export const sieveWorkerBundle = join(root, "dist/sieve-worker.mjs");

let cachedHash = null;

/**
 * First 12 hex digits of the SHA-256 of every TypeScript file of the compute backend (names and
 * bytes, in name order): changes whenever the kernel changes, so a stored result names its code.
 */
export function sieveKernelHash() {
  if (cachedHash !== null) return cachedHash;
  const hash = createHash("sha256");
  for (const name of readdirSync(folder)
    .filter((f) => f.endsWith(".ts"))
    .sort()) {
    hash.update(`${name}\n`);
    hash.update(readFileSync(join(folder, name)));
  }
  cachedHash = hash.digest("hex").slice(0, 12);
  return cachedHash;
}

/** The first line of a bundle built from the kernel with hash `hash`. */
export function sieveBundleBanner(hash) {
  return `// bench-race sieve worker, kernel ${hash}`;
}

/** True when dist/sieve-worker.mjs exists and was built from the current sources. */
export function sieveWorkerBundleIsFresh() {
  if (!existsSync(sieveWorkerBundle)) return false;
  const banner = sieveBundleBanner(sieveKernelHash());
  const head = Buffer.alloc(banner.length);
  const fd = openSync(sieveWorkerBundle, "r");
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  return head.toString("utf8") === banner;
}
