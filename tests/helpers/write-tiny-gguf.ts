/**
 * Writes a tiny random-weight llama model as a GGUF v3 file, straight from the GGUF specification, so
 * llama.cpp tests need no model download. The weights keep one residual dimension at a fixed positive
 * value and give the control tokens a large negative output weight on it: they are never sampled, so
 * generation always runs to max_tokens.
 */
import { writeFile } from "node:fs/promises";

/** Shape of the tiny model (llama architecture). */
export const tinyGguf = {
  contextLength: 4096,
  embeddingLength: 64,
  blockCount: 2,
  feedForwardLength: 128,
  headCount: 4,
  headCountKv: 2,
  alignment: 32,
  bosId: 1,
  eosId: 2,
} as const;

/** GGUF metadata value types, as the specification numbers them */
const valueType = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 } as const;
const ggmlTypeF32 = 0;

type MetadataValue =
  | { type: "uint32" | "int32" | "float32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "array"; of: "int32" | "float32"; value: number[] }
  | { type: "array"; of: "string"; value: string[] };

/** The vocabulary: SentencePiece control tokens, the 256 byte tokens, then a few pieces. */
export function tinyGgufTokens(): { tokens: string[]; types: number[] } {
  const bytes = Array.from({ length: 256 }, (_, b) => `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
  const letters = Array.from("abcdefghijklmnopqrstuvwxyz");
  const words = ["the", "sky", "is", "blue", "race", "fast", "machine", "token", "why", "in", "three", "sentences"];
  const pieces = ["▁", ...letters, ...letters.map((l) => `▁${l}`), ...words.map((w) => `▁${w}`), ".", ","];
  return {
    tokens: ["<unk>", "<s>", "</s>", ...bytes, ...pieces],
    // 2 unknown, 3 control, 6 byte, 1 normal
    types: [2, 3, 3, ...bytes.map(() => 6), ...pieces.map(() => 1)],
  };
}

/** The shape of a generated model: `tinyGguf` by default; benchmarks ask for larger ones. */
export type GgufShape = { -readonly [K in keyof typeof tinyGguf]: number };

/**
 * Writes the model to `path`; the same seed and shape always give the same bytes. Returns its size
 * in bytes. `shape` overrides dimensions of `tinyGguf` (head dimensions must divide evenly).
 */
export async function writeTinyGguf(path: string, seed = 1, shape: Partial<GgufShape> = {}): Promise<number> {
  const bytes = buildTinyGguf(seed, { ...tinyGguf, ...shape });
  await writeFile(path, bytes);
  return bytes.byteLength;
}

function buildTinyGguf(seed: number, m: GgufShape): Uint8Array {
  const { tokens, types } = tinyGgufTokens();
  const headDim = m.embeddingLength / m.headCount;
  const metadata: [string, MetadataValue][] = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: "bench-race tiny random llama" }],
    ["general.alignment", { type: "uint32", value: m.alignment }],
    ["general.file_type", { type: "uint32", value: 0 }],
    ["llama.context_length", { type: "uint32", value: m.contextLength }],
    ["llama.embedding_length", { type: "uint32", value: m.embeddingLength }],
    ["llama.block_count", { type: "uint32", value: m.blockCount }],
    ["llama.feed_forward_length", { type: "uint32", value: m.feedForwardLength }],
    ["llama.attention.head_count", { type: "uint32", value: m.headCount }],
    ["llama.attention.head_count_kv", { type: "uint32", value: m.headCountKv }],
    ["llama.rope.dimension_count", { type: "uint32", value: headDim }],
    ["llama.rope.freq_base", { type: "float32", value: 10000 }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "float32", value: 1e-5 }],
    ["llama.vocab_size", { type: "uint32", value: tokens.length }],
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "array", of: "string", value: tokens }],
    // SentencePiece merges the highest score first: longer pieces win
    [
      "tokenizer.ggml.scores",
      { type: "array", of: "float32", value: tokens.map((t, i) => (types[i] === 1 ? t.length : 0)) },
    ],
    ["tokenizer.ggml.token_type", { type: "array", of: "int32", value: types }],
    ["tokenizer.ggml.unknown_token_id", { type: "uint32", value: 0 }],
    ["tokenizer.ggml.bos_token_id", { type: "uint32", value: m.bosId }],
    ["tokenizer.ggml.eos_token_id", { type: "uint32", value: m.eosId }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ];
  const tensors = tinyTensors(m, tokens.length, types, seed);

  const out = createByteWriter();
  out.bytes(new TextEncoder().encode("GGUF"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.length);
  for (const [key, value] of metadata) {
    out.str(key);
    writeValue(out, value);
  }
  let offset = 0;
  for (const t of tensors) {
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(ggmlTypeF32);
    out.u64(offset);
    offset = alignUp(offset + t.data.byteLength, m.alignment);
  }
  out.pad(m.alignment);
  for (const t of tensors) {
    out.bytes(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    out.pad(m.alignment);
  }
  return out.done();
}

interface Tensor {
  name: string;
  /** fastest-varying dimension first, as GGUF lists them */
  dims: number[];
  data: Float32Array;
}

function tinyTensors(m: GgufShape, vocab: number, types: number[], seed: number): Tensor[] {
  const random = mulberry32(seed);
  const n = m.embeddingLength;
  const kv = (n / m.headCount) * m.headCountKv;
  const uniform = (count: number, scale: number) => {
    const values = new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = (random() * 2 - 1) * scale;
    return values;
  };
  const ones = (count: number) => new Float32Array(count).fill(1);
  /** a [cols, rows] matrix whose row 0 (what it adds to residual dimension 0) is zero */
  const sparingAnchor = (cols: number, rows: number, scale: number) => uniform(cols * rows, scale).fill(0, 0, cols);

  // residual dimension 0 is the anchor: 4 in every embedding, untouched by every block
  const embeddings = uniform(vocab * n, 1);
  for (let t = 0; t < vocab; t++) embeddings[t * n] = 4;
  const output = uniform(vocab * n, 1);
  for (let t = 0; t < vocab; t++) {
    const row = output.subarray(t * n, (t + 1) * n);
    if (types[t] === 1 || types[t] === 6) row[0] = 0;
    else row.fill(0).fill(-100, 0, 1);
  }

  const tensors: Tensor[] = [{ name: "token_embd.weight", dims: [n, vocab], data: embeddings }];
  for (let b = 0; b < m.blockCount; b++) {
    const scale = 1 / Math.sqrt(n);
    tensors.push(
      { name: `blk.${b}.attn_norm.weight`, dims: [n], data: ones(n) },
      { name: `blk.${b}.attn_q.weight`, dims: [n, n], data: uniform(n * n, scale) },
      { name: `blk.${b}.attn_k.weight`, dims: [n, kv], data: uniform(n * kv, scale) },
      { name: `blk.${b}.attn_v.weight`, dims: [n, kv], data: uniform(n * kv, scale) },
      { name: `blk.${b}.attn_output.weight`, dims: [n, n], data: sparingAnchor(n, n, scale) },
      { name: `blk.${b}.ffn_norm.weight`, dims: [n], data: ones(n) },
      {
        name: `blk.${b}.ffn_gate.weight`,
        dims: [n, m.feedForwardLength],
        data: uniform(n * m.feedForwardLength, scale),
      },
      { name: `blk.${b}.ffn_up.weight`, dims: [n, m.feedForwardLength], data: uniform(n * m.feedForwardLength, scale) },
      {
        name: `blk.${b}.ffn_down.weight`,
        dims: [m.feedForwardLength, n],
        data: sparingAnchor(m.feedForwardLength, n, 1 / Math.sqrt(m.feedForwardLength)),
      },
    );
  }
  tensors.push(
    { name: "output_norm.weight", dims: [n], data: ones(n) },
    { name: "output.weight", dims: [n, vocab], data: output },
  );
  return tensors;
}

function writeValue(out: ByteWriter, v: MetadataValue): void {
  out.u32(valueType[v.type]);
  if (v.type === "string") out.str(v.value);
  else if (v.type === "bool") out.u8(v.value ? 1 : 0);
  else if (v.type === "array") {
    out.u32(valueType[v.of]);
    out.u64(v.value.length);
    for (const item of v.value) writeScalar(out, v.of, item);
  } else writeScalar(out, v.type, v.value);
}

function writeScalar(out: ByteWriter, type: "uint32" | "int32" | "float32" | "string", value: number | string): void {
  if (typeof value === "string") out.str(value);
  else if (type === "uint32") out.u32(value);
  else if (type === "int32") out.i32(value);
  else out.f32(value);
}

type ByteWriter = ReturnType<typeof createByteWriter>;

/** A growing little-endian buffer. */
function createByteWriter() {
  let buf = new Uint8Array(1 << 16);
  let view = new DataView(buf.buffer);
  let length = 0;
  const reserve = (n: number) => {
    if (length + n <= buf.byteLength) return;
    const next = new Uint8Array(Math.max(buf.byteLength * 2, length + n));
    next.set(buf.subarray(0, length));
    buf = next;
    view = new DataView(buf.buffer);
  };
  const encoder = new TextEncoder();
  const writer = {
    u8(v: number) {
      reserve(1);
      view.setUint8(length, v);
      length += 1;
    },
    u32(v: number) {
      reserve(4);
      view.setUint32(length, v, true);
      length += 4;
    },
    i32(v: number) {
      reserve(4);
      view.setInt32(length, v, true);
      length += 4;
    },
    f32(v: number) {
      reserve(4);
      view.setFloat32(length, v, true);
      length += 4;
    },
    u64(v: number) {
      reserve(8);
      view.setBigUint64(length, BigInt(v), true);
      length += 8;
    },
    bytes(b: Uint8Array) {
      reserve(b.byteLength);
      buf.set(b, length);
      length += b.byteLength;
    },
    /** a GGUF string: uint64 byte length, then UTF-8 without a terminator */
    str(s: string) {
      const b = encoder.encode(s);
      writer.u64(b.byteLength);
      writer.bytes(b);
    },
    /** zero bytes up to the next multiple of `alignment` */
    pad(alignment: number) {
      writer.bytes(new Uint8Array(alignUp(length, alignment) - length));
    },
    done: () => buf.slice(0, length),
  };
  return writer;
}

const alignUp = (n: number, alignment: number) => Math.ceil(n / alignment) * alignment;

/** A small seeded PRNG (mulberry32): uniform in [0, 1). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
