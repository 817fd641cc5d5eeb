/**
 * The models a GGUF directory offers: every `*.gguf` file directly inside it (or a link to one), by file
 * name, with its size and identity. A file that is not valid GGUF is listed without a digest (llama.cpp will say why
 * when a lane asks for it).
 */
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ModelInfo } from "../../../coordinator/protocol/hardware.ts";
import { hashGgufIdentity } from "./hash-gguf-identity.ts";

/** Sorted by name; throws when the directory cannot be read. */
export async function listGgufModels(dir: string): Promise<ModelInfo[]> {
  const names = (await readdir(dir)).filter((name) => name.toLowerCase().endsWith(".gguf")).sort();
  const models = await Promise.all(
    names.map(async (name): Promise<ModelInfo | null> => {
      const path = join(dir, name);
      const file = await stat(path).catch(() => null);
      if (!file?.isFile()) return null;
      const digest = await hashGgufIdentity(path).catch(() => null);
      return { name, size_bytes: file.size, digest };
    }),
  );
  return models.filter((m) => m !== null);
}
