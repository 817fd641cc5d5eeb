/**
 * Parsers of `rocm-smi --json` (AMD). Its keys differ across ROCm releases ("Card series" or "Card
 * Series", edge or junction temperature, average or current socket power), so each value is looked
 * up under every name it has had. Values are strings; "N/A" is null.
 */
import type { Gpu } from "../../coordinator/protocol/hardware.ts";

export const rocmDiscoveryArgs = [
  "--showproductname",
  "--showmeminfo",
  "vram",
  "--showbus",
  "--showdriverversion",
  "--json",
];

type Card = Record<string, unknown>;

const text = (card: Card, ...keys: string[]): string | null => {
  for (const key of keys) {
    const value = card[key];
    if (typeof value === "string" && value.trim() !== "" && value.trim() !== "N/A") return value.trim();
    if (typeof value === "number") return String(value);
  }
  return null;
};

const numberOf = (card: Card, ...keys: string[]): number | null => {
  const value = text(card, ...keys);
  if (value === null) return null;
  const n = Number.parseFloat(value);
  return Number.isFinite(n) ? n : null;
};

/** The `cardN` entries by index; throws when the text is not rocm-smi's JSON. */
function cardsOf(json: string): { cards: Array<[number, Card]>; system: Card } {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error("rocm-smi printed JSON that is not an object of cards");
  const entries = Object.entries(parsed as Record<string, unknown>);
  const cards = entries.flatMap(([key, value]): Array<[number, Card]> => {
    const index = /^card(\d+)$/.exec(key)?.[1];
    return index !== undefined && typeof value === "object" && value !== null ? [[Number(index), value as Card]] : [];
  });
  const system = (entries.find(([key]) => key === "system")?.[1] ?? {}) as Card;
  return { cards: cards.sort((a, b) => a[0] - b[0]), system };
}

export function parseRocmGpus(json: string): Gpu[] {
  const { cards, system } = cardsOf(json);
  const driver = text(system, "Driver version", "Driver Version");
  return cards.map(([index, card]) => ({
    index,
    name: text(card, "Card Series", "Card series", "Card model", "Card Model") ?? `AMD GPU ${index}`,
    vendor: "amd",
    vram_bytes: numberOf(card, "VRAM Total Memory (B)"),
    unified_memory: false,
    driver,
    compute_capability: text(card, "GFX Version"),
    pci_bus: text(card, "PCI Bus"),
    runtime: null,
    power_limit_w: null,
  }));
}
