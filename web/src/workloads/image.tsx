import { formatDecimal, formatDuration, quotePrompt } from "../lib/format.ts";
import { medianText } from "../lib/lane-metrics.ts";
import type { RankingMetric } from "../lib/rank-lanes.ts";
import { ImageFormSection } from "./image-form-section.tsx";
import { ImageLaneBody } from "./image-lane-body.tsx";
import type { WorkloadView } from "./registry.ts";

const twoDecimals = (value: number) => formatDecimal(value, 2);
const imageRankingMetrics: readonly RankingMetric[] = [
  { name: "seconds_per_image", label: "Seconds per image", higherIsBetter: false, format: twoDecimals },
  { name: "it_per_s", label: "it/s", higherIsBetter: true, format: twoDecimals },
  { name: "total_ms", label: "Total time", higherIsBetter: false, format: formatDuration },
];

/** `{ prompt, steps: 30, width: 512, height: 512, seed: 42 }` -> "“A lighthouse…” · 30 steps · 512×512 · seed 42". */
function describeImageParams(params: Record<string, unknown>): string {
  const parts: string[] = [];
  if (typeof params.prompt === "string") parts.push(quotePrompt(params.prompt));
  if (typeof params.steps === "number") parts.push(`${params.steps} steps`);
  if (typeof params.width === "number" && typeof params.height === "number")
    parts.push(`${params.width}×${params.height}`);
  if (params.seed !== undefined) parts.push(`seed ${String(params.seed)}`);
  if (typeof params.images === "number" && params.images > 1) parts.push(`${params.images} images`);
  return parts.length > 0 ? parts.join(" · ") : "default parameters";
}

export const imageView: WorkloadView = {
  label: "Image (ComfyUI)",
  LaneBody: ImageLaneBody,
  summaryColumns: [
    { label: "Checkpoint", value: (lane) => lane.model ?? "—" },
    { label: "Median s/image", value: (lane) => medianText(lane, "seconds_per_image", twoDecimals) },
    { label: "Median it/s", value: (lane) => medianText(lane, "it_per_s", twoDecimals) },
  ],
  rankingMetrics: () => imageRankingMetrics,
  describeParams: describeImageParams,
  FormSection: ImageFormSection,
};
