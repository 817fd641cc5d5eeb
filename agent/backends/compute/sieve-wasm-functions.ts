/**
 * The sieve's streaming loops as WebAssembly functions: pre-sieving (AND of patterns) and counting
 * (native popcnt). The crossing-off kernel is in sieve-segment-function.ts.
 */
import { i32, i64, op, type WasmFunction } from "./assemble-wasm-module.ts";

/** presieve(len, source0..sourceN-1): segment bytes [0, len) = AND of the sources, 8 bytes at a time */
export function presieveFunction(sources: number): WasmFunction {
  const [len, at] = [0, sources + 1];
  const body = [...op.block, ...op.loop, op.get, at, op.get, len, op.geU, op.brIf, 1, op.get, at];
  for (let s = 0; s < sources; s++) {
    body.push(op.get, 1 + s, op.get, at, op.add, ...op.load64());
    if (s > 0) body.push(op.and64);
  }
  body.push(...op.store64(), op.get, at, ...op.const(8), op.add, op.set, at, op.br, 0, op.end, op.end);
  return { name: "presieve", params: Array(1 + sources).fill(i32), results: [], locals: [i32], body };
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
