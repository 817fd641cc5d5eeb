import { describe, expect, it } from "vitest";
import { readLines } from "../../../agent/backends/read-lines.ts";

const encode = (text: string) => new TextEncoder().encode(text);

/** A body delivering `reads` one per read; with `stall`, it then stays open. Records cancellation. */
function body(reads: Uint8Array[], stall = false) {
  const state = { cancelled: false };
  let next = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const read = reads[next++];
        if (read) return controller.enqueue(read);
        if (stall) return new Promise<void>(() => {});
        controller.close();
      },
      cancel() {
        state.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, state };
}

async function collect(reads: Uint8Array[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const lines of readLines(body(reads).stream, new AbortController().signal)) out.push(lines);
  return out;
}

describe("readLines", () => {
  it("yields once per read with the lines that read completed, buffering partial lines", async () => {
    expect(await collect(["ab", "c\nde", "\n", "f"].map(encode))).toEqual([[], ["abc"], ["de"], [], ["f"]]);
  });

  it("keeps empty lines, which end server-sent events", async () => {
    expect(await collect([encode("data: x\n\ndata: y\n\n")])).toEqual([["data: x", "", "data: y", ""]]);
  });

  it("strips CRLF line ends, also when the CR and the LF arrive in different reads", async () => {
    expect(await collect(["a\r", "\nb\r\n", "c\r"].map(encode))).toEqual([[], ["a", "b"], [], ["c"]]);
  });

  it("decodes multi-byte UTF-8 characters split across reads at every byte", async () => {
    const bytes = encode("café — 🙂\n");
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines = (await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).flat();
      expect(lines).toEqual(["café — 🙂"]);
    }
  });

  it("throws the abort reason and cancels the body when the signal aborts mid-stream", async () => {
    const { stream, state } = body([encode("first\n")], true);
    const controller = new AbortController();
    const seen: string[] = [];
    const reason = new Error("stop now");
    await expect(
      (async () => {
        for await (const lines of readLines(stream, controller.signal)) {
          seen.push(...lines);
          controller.abort(reason);
        }
      })(),
    ).rejects.toBe(reason);
    expect(seen).toEqual(["first"]);
    expect(state.cancelled).toBe(true);
  });

  it("cancels the body when the reader stops early", async () => {
    const { stream, state } = body(["one\n", "two\n", "three\n"].map(encode));
    for await (const lines of readLines(stream, new AbortController().signal)) if (lines.includes("one")) break;
    expect(state.cancelled).toBe(true);
  });
});
