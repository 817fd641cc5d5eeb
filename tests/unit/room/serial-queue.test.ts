import { describe, expect, it } from "vitest";
import { createSerialQueue } from "../../../coordinator/room/serial-queue.ts";

describe("createSerialQueue", () => {
  it("keeps 500 concurrent read-modify-write tasks from losing updates", async () => {
    const queue = createSerialQueue();
    let counter = 0;
    await Promise.all(
      Array.from({ length: 500 }, () =>
        queue.run(async () => {
          const read = counter;
          await Promise.resolve();
          counter = read + 1;
        }),
      ),
    );
    expect(counter).toBe(500);
  });

  it("goes on with later tasks after one throws", async () => {
    const queue = createSerialQueue();
    const failed = queue.run(() => {
      throw new Error("boom");
    });
    await expect(failed).rejects.toThrow("boom");
    await expect(queue.run(() => 7)).resolves.toBe(7);
  });
});
