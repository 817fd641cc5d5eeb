/**
 * The sieve's streaming loops as WebAssembly functions: pre-sieving (AND of patterns) and counting
 * (native popcnt). The crossing-off kernel is in sieve-segment-function.ts.
 */
import { createWasmCode, i32, i64, op, type WasmFunction } from "./assemble-wasm-module.ts";

/** Where one pre-sieve pattern lies in memory and how long its period is, in bytes. */
export interface PatternPlace {
  at: number;
  period: number;
}

/**
 * presieve(len, offset0..offsetN-1): segment bytes [0, len) = AND of the patterns, pattern g read
 * from byte offset_g of its period on, 16 bytes at a time. The patterns are short (a few tens of
 * KiB: they stay in cache), so the loop runs in chunks up to the next pattern's wrap. Each pattern
 * holds its period plus its first 16 bytes again, and the segment 16 bytes of slack: a chunk's last
 * 16-byte step may run past its end, writing the right bytes, which the next chunk writes again.
 */
export function presieveFunction(patterns: readonly PatternPlace[]): WasmFunction {
  const count = patterns.length;
  const len = 0;
  const offset = (g: number) => 1 + g;
  const [at, end, x, chunk, rest] = [count + 1, count + 2, count + 3, count + 4, count + 5];
  const base = (g: number) => count + 6 + g;
  const code = createWasmCode();
  const { emit } = code;
  const get = (v: number) => [op.get, v];
  const set = (v: number) => [op.set, v];
  code.open("block", "done");
  code.open("loop", "chunk");
  emit(...get(at), ...get(len), op.geU);
  code.brIf("done");
  emit(...get(len), ...get(at), op.sub, ...set(chunk));
  patterns.forEach((pattern, g) => {
    emit(...op.const(pattern.period), ...get(offset(g)), op.sub, op.tee, rest);
    emit(...get(chunk), ...get(rest), ...get(chunk), op.ltU, op.select, ...set(chunk));
  });
  emit(...get(at), ...get(chunk), op.add, ...set(end));
  patterns.forEach((pattern, g) => {
    emit(...op.const(pattern.at), ...get(offset(g)), op.add, ...get(at), op.sub, ...set(base(g)));
  });
  emit(...get(at), ...set(x));
  code.open("loop", "bytes");
  emit(...get(x));
  patterns.forEach((_, g) => {
    emit(...get(base(g)), ...get(x), op.add, ...op.load128());
    if (g > 0) emit(...op.and128);
  });
  emit(...op.store128(), ...get(x), ...op.const(16), op.add, op.tee, x, ...get(end), op.ltU);
  code.brIf("bytes");
  code.close();
  patterns.forEach((pattern, g) => {
    emit(...get(offset(g)), ...get(chunk), op.add, op.tee, offset(g), ...op.const(pattern.period), op.sub);
    emit(...get(offset(g)), ...get(offset(g)), ...op.const(pattern.period), op.geU, op.select, ...set(offset(g)));
  });
  emit(...get(end), ...set(at));
  code.br("chunk");
  code.close();
  code.close();
  return {
    name: "presieve",
    params: Array(1 + count).fill(i32),
    results: [],
    locals: Array(5 + count).fill(i32),
    body: code.body,
  };
}

/** popcount(len): set bits in segment bytes [0, len), len a multiple of 8 */
export function popcountFunction(): WasmFunction {
  const [len, at, total] = [0, 1, 2];
  const body = [...op.block, ...op.loop, op.get, at, op.get, len, op.geU, op.brIf, 1];
  body.push(op.get, total, op.get, at, ...op.load64(), op.popcnt64, op.add64, op.set, total);
  body.push(op.get, at, ...op.const(8), op.add, op.set, at, op.br, 0, op.end, op.end);
  body.push(op.get, total, op.wrap64);
  return { name: "popcount", params: [i32], results: [i32], locals: [i32, i64], body };
}
