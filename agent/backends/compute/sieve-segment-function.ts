/**
 * The crossing-off kernel as a WebAssembly function (two of them: state stored in place or into
 * wheel lists), specialized per residue class of the sieving prime mod 30: in each of the 8 copies
 * the bit masks and wheel steps are constants, so the unrolled cycle (8 crossings at fixed offsets from one register) needs no table loads and
 * few registers. A prime enters its unrolled code at its wheel index (a jump table, no single
 * steps) and leaves it crossing by crossing at the segment's end.
 */
import { createWasmCode, i32, op, type WasmFunction } from "./assemble-wasm-module.ts";
import { clearMask, stepExtra, stepGap, wheelResidues } from "./wheel-30.ts";

/**
 * sieveSegment(from, end, kFromBytes, kToBytes, quotientsAt, posAt, wheelAt): for each sieving
 * prime k in [kFromBytes / 4, kToBytes / 4) (i32 arrays) with p = 30 * quotient[k] +
 * wheelResidues[ri], cross off its multiples in segment bytes [from, end) from byte from + pos[k]
 * at wheel state wheel[k] = (ri << 3) | i, then store the position relative to `end` and the new
 * wheel state. Calls over consecutive blocks [from, end) carry each prime on from block to block.
 *
 * With placement "into-wheel-lists" (sieveIntoWheelLists, one more parameter cursorsAt) the new
 * state goes instead to the list of the wheel index i the prime next enters at: at byte offset
 * cursor[i] (8 i32 at cursorsAt) of the three arrays, and cursor[i] moves on by 4. Primes that
 * enter a call at the same wheel index take the same jump into the unrolled code, so the branch
 * predictor knows it (primesieve's EratMedium sorts its medium primes the same way).
 */
export function sieveSegmentFunction(placement: "in-place" | "into-wheel-lists"): WasmFunction {
  const lists = placement === "into-wheel-lists";
  const [from, len, kFrom, countBytes, quotientsAt, posAt, wheelAt, cursorsAt] = [0, 1, 2, 3, 4, 5, 6, 7];
  const params = lists ? 8 : 7;
  const locals = [0, 1, 2, 3, 4, 5, 6, 7].map((x) => params + x);
  const [k = 0, q = 0, w = 0, i = 0, b = 0, p = 0, limit = 0, t = 0] = locals;
  const o = (j: number) => params + 7 + j; // o1..o7
  const code = createWasmCode();
  const { emit } = code;
  const get = (x: number) => [op.get, x];
  const set = (x: number) => [op.set, x];
  const atK = (base: number) => [...get(base), ...get(k), op.add];

  /** seg[b + offset] &= mask; offset local 0 means b itself */
  const cross = (offsetLocal: number | null, mask: number) => {
    if (offsetLocal === null) emit(...get(b), ...get(b));
    else emit(...get(b), ...get(offsetLocal), op.add, op.tee, t, ...get(t));
    emit(...op.load8(), ...op.const(mask), op.and, ...op.store8());
  };
  /** one checked crossing at wheel index j of residue class ri: leave at the segment's end */
  const checkedStep = (ri: number, j: number) => {
    emit(...get(b), ...get(len), op.geS);
    code.openIf();
    emit(...op.const(j), ...set(i));
    code.br("exit");
    code.close();
    cross(null, clearMask[ri * 8 + j] ?? 0);
    emit(...get(b), ...get(q), ...op.const(stepGap[j] ?? 0), op.mul, op.add);
    emit(...op.const(stepExtra[ri * 8 + j] ?? 0), op.add, ...set(b));
  };

  const residueCode = (ri: number) => {
    code.open("block", "exit");
    // from wheel index i to the start of a cycle, crossing by crossing (i = 0: nothing to do)
    code.open("block", "cycle-start");
    for (let j = 7; j >= 1; j--) code.open("block", `enter-${j}`);
    code.emit(...get(i));
    code.brTable(["cycle-start", ...[1, 2, 3, 4, 5, 6, 7].map((j) => `enter-${j}`)], "cycle-start");
    for (let j = 1; j <= 7; j++) {
      code.close();
      checkedStep(ri, j);
    }
    code.close();
    // whole cycles while the last crossing of one falls in the segment
    let gapSum = 0;
    let extraSum = 0;
    for (let j = 1; j < 8; j++) {
      gapSum += stepGap[j - 1] ?? 0;
      extraSum += stepExtra[ri * 8 + j - 1] ?? 0;
      emit(...get(q), ...op.const(gapSum), op.mul, ...op.const(extraSum), op.add, ...set(o(j)));
    }
    emit(...get(q), ...op.const(30), op.mul, ...op.const(wheelResidues[ri] ?? 0), op.add, ...set(p));
    emit(...get(len), ...get(o(7)), op.sub, ...set(limit));
    code.open("block", "cycles-done");
    code.open("loop", "cycle");
    emit(...get(b), ...get(limit), op.geS);
    code.brIf("cycles-done");
    for (let j = 0; j < 8; j++) cross(j === 0 ? null : o(j), clearMask[ri * 8 + j] ?? 0);
    emit(...get(b), ...get(p), op.add, ...set(b));
    code.br("cycle");
    code.close();
    code.close();
    // the rest of the segment crossing by crossing, around the wheel until past its end
    code.open("loop", "tail");
    for (let j = 0; j < 8; j++) checkedStep(ri, j);
    code.br("tail");
    code.close();
    code.close();
  };

  emit(...get(kFrom), ...set(k));
  code.open("block", "primes-done");
  code.open("loop", "prime");
  emit(...get(k), ...get(countBytes), op.geU);
  code.brIf("primes-done");
  emit(...atK(quotientsAt), ...op.load32(), ...set(q));
  emit(...atK(wheelAt), ...op.load32(), op.tee, w, ...op.const(7), op.and, ...set(i));
  emit(...atK(posAt), ...op.load32(), ...get(from), op.add, ...set(b));
  code.open("block", "stored");
  for (let ri = 7; ri >= 0; ri--) code.open("block", `residue-${ri}`);
  emit(...get(w), ...op.const(3), op.shrU);
  code.brTable(
    [0, 1, 2, 3, 4, 5, 6, 7].map((ri) => `residue-${ri}`),
    "residue-0",
  );
  for (let ri = 0; ri < 8; ri++) {
    code.close();
    residueCode(ri);
    code.br("stored");
  }
  code.close();
  if (lists) {
    // t = cursors[i]: where the list of primes next entering at wheel index i goes on
    emit(...get(cursorsAt), ...get(i), ...op.const(2), op.shl, op.add, op.tee, limit, ...op.load32(), ...set(t));
    emit(...get(quotientsAt), ...get(t), op.add, ...get(q), ...op.store32());
    emit(...get(posAt), ...get(t), op.add, ...get(b), ...get(len), op.sub, ...op.store32());
    emit(...get(wheelAt), ...get(t), op.add, ...get(w), ...op.const(0x38), op.and, ...get(i), op.or, ...op.store32());
    emit(...get(limit), ...get(t), ...op.const(4), op.add, ...op.store32());
  } else {
    emit(...atK(posAt), ...get(b), ...get(len), op.sub, ...op.store32());
    emit(...atK(wheelAt), ...get(w), ...op.const(0x38), op.and, ...get(i), op.or, ...op.store32());
  }
  emit(...get(k), ...op.const(4), op.add, ...set(k));
  code.br("prime");
  code.close();
  code.close();
  return {
    name: lists ? "sieveIntoWheelLists" : "sieveSegment",
    params: Array(params).fill(i32),
    results: [],
    locals: Array(15).fill(i32),
    body: code.body,
  };
}
