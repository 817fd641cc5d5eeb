import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashGgufIdentity } from "../../../agent/backends/llamacpp/hash-gguf-identity.ts";
import { readGgufHeader } from "../../../agent/backends/llamacpp/read-gguf-header.ts";
import { tinyGguf, tinyGgufTokens, writeTinyGguf } from "../../helpers/write-tiny-gguf.ts";

let dir = "";
let path = "";
let size = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tiny-gguf-"));
  path = join(dir, "tiny.gguf");
  size = await writeTinyGguf(path);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("writeTinyGguf", () => {
  it("starts with the GGUF magic, version 3, 21 tensors and 23 metadata entries, little-endian", async () => {
    const bytes = await readFile(path);
    expect(bytes.subarray(0, 4).toString("latin1")).toBe("GGUF");
    expect(bytes.readUint32LE(4)).toBe(3);
    expect(bytes.readBigUint64LE(8)).toBe(21n);
    expect(bytes.readBigUint64LE(16)).toBe(23n);
    expect(bytes.byteLength).toBe(size);
    expect(size).toBeLessThan(1024 * 1024);
  });

  it("writes llama metadata and a SentencePiece vocabulary that read back", async () => {
    const { version, metadata } = await readGgufHeader(path);
    const { tokens, types } = tinyGgufTokens();
    expect(version).toBe(3);
    expect(metadata.get("general.architecture")).toBe("llama");
    expect(metadata.get("general.alignment")).toBe(32);
    expect(metadata.get("llama.context_length")).toBe(4096);
    expect(metadata.get("llama.embedding_length")).toBe(64);
    expect(metadata.get("llama.block_count")).toBe(2);
    expect(metadata.get("llama.feed_forward_length")).toBe(128);
    expect(metadata.get("llama.attention.head_count")).toBe(4);
    expect(metadata.get("llama.attention.head_count_kv")).toBe(2);
    expect(metadata.get("llama.rope.dimension_count")).toBe(16);
    expect(metadata.get("llama.attention.layer_norm_rms_epsilon")).toBeCloseTo(1e-5, 10);
    expect(metadata.get("tokenizer.ggml.model")).toBe("llama");
    expect(metadata.get("tokenizer.ggml.tokens")).toEqual(tokens);
    expect(metadata.get("tokenizer.ggml.token_type")).toEqual(types);
    expect((metadata.get("tokenizer.ggml.scores") as number[]).length).toBe(tokens.length);
    expect(tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    expect(tokens[258]).toBe("<0xFF>");
    expect(types.filter((t) => t === 6)).toHaveLength(256);
    expect(metadata.get("tokenizer.ggml.bos_token_id")).toBe(1);
    expect(metadata.get("tokenizer.ggml.eos_token_id")).toBe(2);
    expect(metadata.get("tokenizer.ggml.add_bos_token")).toBe(true);
  });

  it("lists tensors fastest dimension first, F32, at 32-byte aligned offsets that end at the file's end", async () => {
    const { tensors, length } = await readGgufHeader(path);
    const vocab = tinyGgufTokens().tokens.length;
    const byName = new Map(tensors.map((t) => [t.name, t]));
    expect(byName.get("token_embd.weight")?.dims).toEqual([64, vocab]);
    expect(byName.get("output.weight")?.dims).toEqual([64, vocab]);
    expect(byName.get("output_norm.weight")?.dims).toEqual([64]);
    expect(byName.get("blk.1.attn_k.weight")?.dims).toEqual([64, 32]);
    expect(byName.get("blk.1.ffn_down.weight")?.dims).toEqual([128, 64]);
    expect(tensors.filter((t) => t.name.startsWith("blk.")).map((t) => t.name.split(".")[2])).toEqual(
      Array(tinyGguf.blockCount)
        .fill(["attn_norm", "attn_q", "attn_k", "attn_v", "attn_output", "ffn_norm", "ffn_gate", "ffn_up", "ffn_down"])
        .flat(),
    );
    expect(tensors.every((t) => t.type === 0 && t.offset % 32 === 0)).toBe(true);
    const dataStart = Math.ceil(length / 32) * 32;
    const last = tensors.at(-1)!;
    const lastBytes = last.dims.reduce((a, d) => a * d, 4);
    expect(size).toBe(dataStart + Math.ceil((last.offset + lastBytes) / 32) * 32);
  });

  it("gives the same bytes for the same seed and other weights for another", async () => {
    await writeTinyGguf(join(dir, "again.gguf"));
    await writeTinyGguf(join(dir, "other.gguf"), 2);
    const read = (name: string) => readFile(join(dir, `${name}.gguf`));
    const [a, again, other] = await Promise.all([read("tiny"), read("again"), read("other")]);
    expect(again.equals(a)).toBe(true);
    expect(other.equals(a)).toBe(false);
    expect(other.byteLength).toBe(a.byteLength);
  });

  it("has an identity made of its size and the sha256 of its header, metadata and tensor infos", async () => {
    const { length } = await readGgufHeader(path);
    const bytes = await readFile(path);
    const sha = createHash("sha256").update(bytes.subarray(0, length)).digest("hex");
    expect(await hashGgufIdentity(path)).toBe(`gguf:${size}:${sha}`);
  });
});
