// Keeps the tab title saying what the page shows, "llm race · running · bench-race", so a tab in a
// row of tabs (or on a wall display's title bar) tells what is racing without being opened.
import { createRenderEffect } from "solid-js";

/** "llm race", "running" -> "llm race · running · bench-race" */
export const pageTitle = (...parts: string[]): string => [...parts, "bench-race"].join(" · ");

/** Sets the tab title now and again whenever `title` changes. Every page sets its own. */
export function useDocumentTitle(title: () => string): void {
  createRenderEffect(() => {
    document.title = title();
  });
}
