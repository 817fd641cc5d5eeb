// Builds dist/sieve-worker.mjs, the compute backend's worker as one compiled JavaScript file, when
// it is missing or was built from other sources. Workers then start without loading tsx.
import { mkdirSync, renameSync } from "node:fs";
import { dirname } from "node:path";
import { build } from "esbuild";
import {
  sieveBundleBanner,
  sieveKernelHash,
  sieveWorkerBundle,
  sieveWorkerBundleIsFresh,
  sieveWorkerSource,
} from "../agent/backends/compute/sieve-worker-entry.mjs";

/** Builds the bundle unless it is fresh; `outfile` builds a copy elsewhere (the device bench). */
export async function ensureSieveWorker({ outfile = sieveWorkerBundle, log = () => {} } = {}) {
  if (outfile === sieveWorkerBundle && sieveWorkerBundleIsFresh()) return outfile;
  log("Building the sieve worker (esbuild)...");
  mkdirSync(dirname(outfile), { recursive: true });
  // write beside it and rename: a worker starting meanwhile never reads half a file
  const partial = `${outfile}.${process.pid}.partial`;
  await build({
    entryPoints: [sieveWorkerSource],
    outfile: partial,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: sieveBundleBanner(sieveKernelHash()) },
    logLevel: "warning",
  });
  renameSync(partial, outfile);
  return outfile;
}
