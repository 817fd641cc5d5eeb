/**
 * Reads a GGUF file's header, metadata and tensor infos (GGUF v2/v3, little-endian) without reading its
 * tensor data, which can be many gigabytes. The model's identity hashes exactly these bytes.
 */
import { type FileHandle, open } from "node:fs/promises";

export type GgufValue = number | boolean | string | GgufValue[];

export interface GgufTensorInfo {
  name: string;
  /** fastest-varying dimension first */
  dims: number[];
  /** ggml type number (0 F32, 1 F16, ...) */
  type: number;
  /** bytes from the start of the tensor data section */
  offset: number;
}

export interface GgufHeader {
  version: number;
  metadata: Map<string, GgufValue>;
  tensors: GgufTensorInfo[];
  /** bytes from the start of the file to the end of the last tensor info */
  length: number;
}

/** metadata value types, numbered as in the GGUF specification */
const valueType = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** longest metadata string read; a longer one means a corrupt file */
const maxStringBytes = 1 << 24;

/** Throws when the file is not a GGUF v2/v3 file or ends inside its header. */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  const handle = await open(path, "r");
  try {
    const r = createFileCursor(handle, path);
    const magic = await r.bytes(4);
    if (magic.toString("latin1") !== "GGUF")
      throw new Error(`${path} is not a GGUF file (it starts with ${magic.toString("hex")})`);
    const version = await r.u32();
    if (version !== 2 && version !== 3)
      throw new Error(`${path} is GGUF version ${version}; only versions 2 and 3 are read`);
    const tensorCount = await r.u64();
    const kvCount = await r.u64();
    const metadata = new Map<string, GgufValue>();
    for (let i = 0; i < kvCount; i++) {
      const key = await r.str();
      metadata.set(key, await readValue(r, await r.u32()));
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = await r.str();
      const nDims = await r.u32();
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(await r.u64());
      tensors.push({ name, dims, type: await r.u32(), offset: await r.u64() });
    }
    return { version, metadata, tensors, length: r.position() };
  } finally {
    await handle.close();
  }
}

async function readValue(r: FileCursor, type: number): Promise<GgufValue> {
  switch (type) {
    case valueType.uint8:
      return (await r.bytes(1)).readUint8(0);
    case valueType.int8:
      return (await r.bytes(1)).readInt8(0);
    case valueType.uint16:
      return (await r.bytes(2)).readUint16LE(0);
    case valueType.int16:
      return (await r.bytes(2)).readInt16LE(0);
    case valueType.uint32:
      return r.u32();
    case valueType.int32:
      return (await r.bytes(4)).readInt32LE(0);
    case valueType.float32:
      return (await r.bytes(4)).readFloatLE(0);
    case valueType.bool:
      return (await r.bytes(1)).readUint8(0) !== 0;
    case valueType.string:
      return r.str();
    case valueType.uint64:
      return r.u64();
    case valueType.int64:
      return Number((await r.bytes(8)).readBigInt64LE(0));
    case valueType.float64:
      return (await r.bytes(8)).readDoubleLE(0);
    case valueType.array: {
      const itemType = await r.u32();
      const count = await r.u64();
      const items: GgufValue[] = [];
      for (let i = 0; i < count; i++) items.push(await readValue(r, itemType));
      return items;
    }
    default:
      throw new Error(`unknown GGUF metadata value type ${type}`);
  }
}

type FileCursor = ReturnType<typeof createFileCursor>;

/** Sequential little-endian reads through a window of the file that grows a megabyte at a time. */
function createFileCursor(handle: FileHandle, path: string) {
  let window = Buffer.alloc(0);
  /** file offset of window[0] */
  let windowStart = 0;
  let pos = 0;
  const bytes = async (n: number): Promise<Buffer> => {
    if (pos + n > windowStart + window.length) {
      const keep = window.subarray(pos - windowStart);
      const more = Buffer.alloc(Math.max(n - keep.length, 1 << 20));
      const { bytesRead } = await handle.read(more, 0, more.length, windowStart + window.length);
      window = Buffer.concat([keep, more.subarray(0, bytesRead)]);
      windowStart = pos;
      if (n > window.length) throw new Error(`${path} ends inside its GGUF header (at byte ${pos + window.length})`);
    }
    const out = window.subarray(pos - windowStart, pos - windowStart + n);
    pos += n;
    return out;
  };
  const u64 = async () => {
    const value = (await bytes(8)).readBigUint64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${path} has an implausible GGUF count (${value})`);
    return Number(value);
  };
  return {
    bytes,
    u32: async () => (await bytes(4)).readUint32LE(0),
    u64,
    str: async () => {
      const length = await u64();
      if (length > maxStringBytes) throw new Error(`${path} has an implausible GGUF string length (${length})`);
      return (await bytes(length)).toString("utf8");
    },
    position: () => pos,
  };
}
