/**
 * Image files under the data dir, named by content hash (`images/ab/<sha256>`): a write goes to a
 * temporary name and is renamed into place, and a path is only ever built from a validated hash,
 * so no request can name a file outside this folder.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ImageStore {
  /** stores the bytes and returns their sha256 (lowercase hex) */
  put(bytes: Uint8Array): Promise<string>;
  /** the bytes, or null when no file has that hash */
  get(sha256: string): Promise<Uint8Array | null>;
  remove(sha256: string): Promise<void>;
}

const hashPattern = /^[0-9a-f]{64}$/;

export function createImageStore(dataDir: string): ImageStore {
  const root = join(dataDir, "images");
  const pathOf = (sha256: string) => {
    if (!hashPattern.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
    return join(root, sha256.slice(0, 2), sha256);
  };
  return {
    async put(bytes) {
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const path = pathOf(sha256);
      await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
      const temp = `${path}.${randomUUID()}.part`;
      await writeFile(temp, bytes);
      await rename(temp, path);
      return sha256;
    },
    async get(sha256) {
      if (!hashPattern.test(sha256)) return null;
      return readFile(pathOf(sha256)).catch(() => null);
    },
    async remove(sha256) {
      await rm(pathOf(sha256), { force: true });
    },
  };
}
