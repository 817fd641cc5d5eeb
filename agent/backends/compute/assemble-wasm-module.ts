/**
 * Just enough of a WebAssembly assembler for the sieve kernels: i32/i64 functions over one
 * imported memory, written as opcode lists in TypeScript, so no toolchain or npm package is needed.
 */

export const i32 = 0x7f;
export const i64 = 0x7e;

/** memarg: alignment exponent, then a constant byte offset added to the address */
const memarg = (align: number, offset: number) => [align, ...uleb(offset)];

/** The opcodes the kernels use (WebAssembly core spec, section 5.4). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  load32: (offset = 0) => [0x28, ...memarg(2, offset)],
  load64: (offset = 0) => [0x29, ...memarg(3, offset)],
  load8: (offset = 0) => [0x2d, ...memarg(0, offset)],
  store32: (offset = 0) => [0x36, ...memarg(2, offset)],
  store64: (offset = 0) => [0x37, ...memarg(3, offset)],
  store8: (offset = 0) => [0x3a, ...memarg(0, offset)],
  const: (value: number) => [0x41, ...sleb(value)],
  select: 0x1b,
  eqz: 0x45,
  ltU: 0x49,
  gtS: 0x4a,
  geS: 0x4e,
  geU: 0x4f,
  add: 0x6a,
  sub: 0x6b,
  mul: 0x6c,
  divU: 0x6e,
  and: 0x71,
  or: 0x72,
  shl: 0x74,
  popcnt64: 0x7b,
  shrU: 0x76,
  add64: 0x7c,
  and64: 0x83,
  wrap64: 0xa7,
  /** SIMD (0xfd prefix): 16-byte load and store (alignment hint 0: any address), and bitwise AND */
  load128: (offset = 0) => [0xfd, 0x00, ...memarg(0, offset)],
  store128: (offset = 0) => [0xfd, 0x0b, ...memarg(0, offset)],
  and128: [0xfd, 0x4e],
} as const;

/** Emits instructions and resolves branches to named blocks into label depths. */
export function createWasmCode() {
  const body: number[] = [];
  const labels: string[] = [];
  const depth = (label: string) => {
    const at = labels.lastIndexOf(label);
    if (at < 0) throw new Error(`no enclosing block ${label}`);
    return labels.length - 1 - at;
  };
  return {
    body,
    emit: (...code: number[]) => body.push(...code),
    open(kind: "block" | "loop", label: string) {
      body.push(...op[kind]);
      labels.push(label);
    },
    /** `if` without a result: a label of its own for branch depths */
    openIf() {
      body.push(0x04, 0x40);
      labels.push("");
    },
    close() {
      body.push(op.end);
      labels.pop();
    },
    br: (label: string) => body.push(op.br, depth(label)),
    brIf: (label: string) => body.push(op.brIf, depth(label)),
    brTable(targets: string[], fallback: string) {
      body.push(0x0e, targets.length, ...targets.map(depth), depth(fallback));
    },
  };
}

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    const byte = v & 0x7f;
    v >>>= 7;
    out.push(v === 0 ? byte : byte | 0x80);
  } while (v !== 0);
  return out;
}

export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) return [...out, byte];
    out.push(byte | 0x80);
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (text: string): number[] => vec([...text].map((c) => [c.charCodeAt(0)]));

export interface WasmFunction {
  name: string;
  /** value types of the parameters; locals are numbered after them */
  params: number[];
  results: number[];
  /** value types of the extra locals */
  locals: number[];
  /** instructions, without the final `end` */
  body: number[];
}

/** A module importing `env.memory` (`pages` of 64 KiB) and exporting every function by its name. */
export function assembleWasmModule(pages: number, functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const code = functions.map((f) => {
    const body = [...vec(f.locals.map((t) => [1, t])), ...f.body, op.end];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec(types)),
    ...section(2, vec([[...name("env"), ...name("memory"), 0x02, 0x00, ...uleb(pages)]])),
    ...section(3, vec(functions.map((_, k) => uleb(k)))),
    ...section(7, vec(functions.map((f, k) => [...name(f.name), 0x00, ...uleb(k)]))),
    ...section(10, vec(code)),
  ]);
}
