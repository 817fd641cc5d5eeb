/**
 * A GGUF model's identity for provenance: `gguf:<file size>:<sha256 of the header, metadata and tensor
 * infos>`. Hashing those bytes instead of the whole file takes milliseconds, not minutes, and still tells
 * apart any two models that differ in architecture, tokenizer, quantisation or tensor layout.
 */
import { createHash } from "node:crypto";
import { open, stat } from "node:fs/promises";
import { measureGgufHeader } from "./read-gguf-header.ts";

/** Throws when the file is not a readable GGUF file. */
export async function hashGgufIdentity(path: string): Promise<string> {
  const length = await measureGgufHeader(path);
  const { size } = await stat(path);
  const handle = await open(path, "r");
  try {
    const bytes = Buffer.alloc(length);
    await handle.read(bytes, 0, length, 0);
    return `gguf:${size}:${createHash("sha256").update(bytes).digest("hex")}`;
  } finally {
    await handle.close();
  }
}
