import { createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import { StreamingText } from "../../web/src/components/streaming-text.tsx";
import { mount } from "./mount.tsx";

/** Gives jsdom's box a layout: `height` of content in a 100 px tall viewport, with a settable scrollTop. */
function layOut(box: HTMLElement, height: () => number) {
  let top = 0;
  Object.defineProperty(box, "clientHeight", { get: () => 100 });
  Object.defineProperty(box, "scrollHeight", { get: height });
  Object.defineProperty(box, "scrollTop", {
    get: () => top,
    set: (value: number) => {
      top = Math.max(0, Math.min(value, height() - 100));
    },
  });
}

function mountText(initial: string) {
  const [text, setText] = createSignal(initial);
  const host = mount(() => <StreamingText text={text()} testId="stream" />);
  const box = host.querySelector<HTMLElement>('[data-testid="stream"]');
  if (!box) throw new Error("no stream box");
  return { box, setText };
}

describe("StreamingText", () => {
  it("appends new text to the same text node instead of replacing it", () => {
    const { box, setText } = mountText("The sky");
    const node = box.firstChild;
    expect(node?.nodeType).toBe(Node.TEXT_NODE);
    setText("The sky is");
    setText("The sky is blue.");
    expect(box.childNodes).toHaveLength(1);
    expect(box.firstChild).toBe(node);
    expect(box.textContent).toBe("The sky is blue.");
  });

  it("replaces the text when it no longer continues what is shown", () => {
    const { box, setText } = mountText("first pass");
    setText("");
    expect(box.textContent).toBe("");
    setText("second pass");
    expect(box.textContent).toBe("second pass");
    setText("econd pass, trimmed at the front");
    expect(box.textContent).toBe("econd pass, trimmed at the front");
    expect(box.childNodes).toHaveLength(1);
  });

  it("treats text with markup as text", () => {
    const { box } = mountText('<img src=x onerror="alert(1)">');
    expect(box.querySelector("img")).toBeNull();
    expect(box.textContent).toBe('<img src=x onerror="alert(1)">');
  });

  it("follows the end until the reader scrolls up, and again once they scroll back down", () => {
    let height = 100;
    const { box, setText } = mountText("");
    layOut(box, () => height);
    height = 300;
    setText("a lot of text");
    expect(box.scrollTop).toBe(200);

    box.scrollTop = 50;
    box.dispatchEvent(new Event("scroll"));
    height = 500;
    setText("a lot of text, and more");
    expect(box.scrollTop).toBe(50);

    box.scrollTop = 400;
    box.dispatchEvent(new Event("scroll"));
    height = 700;
    setText("a lot of text, and more, and more");
    expect(box.scrollTop).toBe(600);
  });
});
