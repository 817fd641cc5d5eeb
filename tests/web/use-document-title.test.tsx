import { createSignal } from "solid-js";
import { describe, expect, it } from "vitest";
import { pageTitle, useDocumentTitle } from "../../web/src/lib/use-document-title.ts";
import { mount } from "./mount.tsx";

describe("useDocumentTitle", () => {
  it("sets the tab title and follows the status as it changes", () => {
    const [status, setStatus] = createSignal("pending");
    mount(() => {
      useDocumentTitle(() => pageTitle("llm race", status()));
      return null;
    });
    expect(document.title).toBe("llm race · pending · bench-race");
    setStatus("running");
    expect(document.title).toBe("llm race · running · bench-race");
  });
});
