/**
 * Image files under the data dir, named by content hash (`images/ab/<sha256>`): a write goes to a
 * temporary name and is renamed into place, and a path is only ever built from a validated hash,
 * so no request can name a file outside this folder. Writes and removals of one hash take turns,
 * and each decides with the database inside its turn: a run deleted while another run uploads the
 * same bytes never takes away the file the upload has just recorded.
 */
import { createHash, randomUUID } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface ImageStore {
  /** stores the bytes, calls `record` with their sha256 (lowercase hex) once the file is in place, and returns it */
  put(bytes: Uint8Array, record: (sha256: string) => void): Promise<string>;
  /** the bytes, or null when no file has that hash */
  get(sha256: string): Promise<Uint8Array | null>;
  /** removes the file if `unheld()`, asked once every earlier write of the same hash is recorded */
  remove(sha256: string, unheld: () => boolean): Promise<void>;
}

const hashPattern = /^[0-9a-f]{64}$/;

export function createImageStore(dataDir: string): ImageStore {
  const root = join(dataDir, "images");
  const pathOf = (sha256: string) => {
    if (!hashPattern.test(sha256)) throw new Error(`not a sha256: ${sha256.slice(0, 80)}`);
    return join(root, sha256.slice(0, 2), sha256);
  };
  const turns = new Map<string, Promise<unknown>>();
  /** runs `step` after every earlier step on the same hash has settled */
  const inTurn = <T>(sha256: string, step: () => Promise<T>): Promise<T> => {
    const mine = (turns.get(sha256) ?? Promise.resolve()).catch(() => {}).then(step);
    turns.set(sha256, mine);
    void mine
      .catch(() => {})
      .finally(() => {
        if (turns.get(sha256) === mine) turns.delete(sha256);
      });
    return mine;
  };
  return {
    put(bytes, record) {
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      const path = pathOf(sha256);
      return inTurn(sha256, async () => {
        await mkdir(join(root, sha256.slice(0, 2)), { recursive: true });
        const temp = `${path}.${randomUUID()}.part`;
        await writeFile(temp, bytes);
        await rename(temp, path);
        record(sha256);
        return sha256;
      });
    },
    async get(sha256) {
      if (!hashPattern.test(sha256)) return null;
      return readFile(pathOf(sha256)).catch(() => null);
    },
    remove(sha256, unheld) {
      const path = pathOf(sha256);
      return inTurn(sha256, async () => {
        if (unheld()) await rm(path, { force: true });
      });
    },
  };
}
