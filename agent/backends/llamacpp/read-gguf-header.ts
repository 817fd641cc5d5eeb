/**
 * Reads a GGUF file's header, metadata and tensor infos (GGUF v2/v3, little-endian) without reading its
 * tensor data, which can be many gigabytes. The model's identity hashes exactly these bytes.
 */
import { open } from "node:fs/promises";

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

/** bytes of each fixed-size value type */
const fixedSize = new Map<number, number>([
  [valueType.uint8, 1],
  [valueType.int8, 1],
  [valueType.uint16, 2],
  [valueType.int16, 2],
  [valueType.uint32, 4],
  [valueType.int32, 4],
  [valueType.float32, 4],
  [valueType.bool, 1],
  [valueType.uint64, 8],
  [valueType.int64, 8],
  [valueType.float64, 8],
]);

/** the most of a file read to find its header's end; tokenizers of large vocabularies take tens of MB */
const maxHeaderBytes = 1 << 28;

/** Thrown by the parser when the bytes read so far end inside the header. */
class NeedMoreBytes extends Error {}

/**
 * Reads a megabyte, then four times as much each time the header does not end inside what was read.
 * Throws when the file is not a GGUF v2/v3 file or ends inside its header.
 */
export function readGgufHeader(path: string): Promise<GgufHeader> {
  return readHeader(path, true);
}

/** Where the tensor infos end, in bytes from the file's start: the header read without keeping its values. */
export async function measureGgufHeader(path: string): Promise<number> {
  return (await readHeader(path, false)).length;
}

async function readHeader(path: string, keepValues: boolean): Promise<GgufHeader> {
  const handle = await open(path, "r");
  try {
    for (let size = 1 << 20; ; size *= 4) {
      const buffer = Buffer.alloc(size);
      const { bytesRead } = await handle.read(buffer, 0, size, 0);
      try {
        return parseGgufHeader(buffer.subarray(0, bytesRead), path, keepValues);
      } catch (error) {
        if (!(error instanceof NeedMoreBytes)) throw error;
        if (bytesRead < size || size >= maxHeaderBytes) throw new Error(`${path} ends inside its GGUF header`);
      }
    }
  } finally {
    await handle.close();
  }
}

/** `keepValues` false: metadata is skipped, not decoded (the map stays empty) */
function parseGgufHeader(bytes: Buffer, path: string, keepValues: boolean): GgufHeader {
  let pos = 0;
  const take = (n: number) => {
    if (pos + n > bytes.length) throw new NeedMoreBytes();
    pos += n;
    return pos - n;
  };
  const u32 = () => bytes.readUint32LE(take(4));
  const u64 = () => {
    const value = bytes.readBigUint64LE(take(8));
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${path} has an implausible GGUF count (${value})`);
    return Number(value);
  };
  const str = () => {
    const length = u64();
    const at = take(length);
    return bytes.toString("utf8", at, at + length);
  };
  const skipStr = () => take(u64());
  const value = (type: number): GgufValue => {
    switch (type) {
      case valueType.uint8:
        return bytes.readUint8(take(1));
      case valueType.int8:
        return bytes.readInt8(take(1));
      case valueType.uint16:
        return bytes.readUint16LE(take(2));
      case valueType.int16:
        return bytes.readInt16LE(take(2));
      case valueType.uint32:
        return u32();
      case valueType.int32:
        return bytes.readInt32LE(take(4));
      case valueType.float32:
        return bytes.readFloatLE(take(4));
      case valueType.bool:
        return bytes.readUint8(take(1)) !== 0;
      case valueType.string:
        return str();
      case valueType.uint64:
        return u64();
      case valueType.int64:
        return Number(bytes.readBigInt64LE(take(8)));
      case valueType.float64:
        return bytes.readDoubleLE(take(8));
      case valueType.array: {
        const itemType = u32();
        const count = u64();
        const items: GgufValue[] = [];
        for (let i = 0; i < count; i++) items.push(value(itemType));
        return items;
      }
      default:
        throw new Error(`${path} has an unknown GGUF metadata value type ${type}`);
    }
  };

  const skipValue = (type: number): void => {
    const size = fixedSize.get(type);
    if (size !== undefined) take(size);
    else if (type === valueType.string) skipStr();
    else if (type === valueType.array) {
      const itemType = u32();
      const count = u64();
      const itemSize = fixedSize.get(itemType);
      if (itemSize !== undefined) take(itemSize * count);
      else for (let i = 0; i < count; i++) skipValue(itemType);
    } else throw new Error(`${path} has an unknown GGUF metadata value type ${type}`);
  };

  const magic = bytes.toString("latin1", take(4), 4);
  if (magic !== "GGUF") throw new Error(`${path} is not a GGUF file (it starts with ${JSON.stringify(magic)})`);
  const version = u32();
  if (version !== 2 && version !== 3)
    throw new Error(`${path} is GGUF version ${version}; only versions 2 and 3 are read`);
  const tensorCount = u64();
  const kvCount = u64();
  const metadata = new Map<string, GgufValue>();
  for (let i = 0; i < kvCount; i++) {
    const key = str();
    const type = u32();
    if (keepValues) metadata.set(key, value(type));
    else skipValue(type);
  }
  const tensors: GgufTensorInfo[] = [];
  for (let i = 0; i < tensorCount; i++) {
    const name = str();
    const dims = Array.from({ length: u32() }, u64);
    tensors.push({ name, dims, type: u32(), offset: u64() });
  }
  return { version, metadata, tensors, length: pos };
}
