// Every lane's speed over time on one uPlot chart (tokens/s or numbers/s against seconds since
// the common start), redrawn as the race store records new points. uPlot draws on a canvas; where
// there is none (tests), the chart says so in its place. uPlot loads on first draw, so pages
// without a chart do not carry it.
import { createEffect, createSignal, onCleanup, onMount, Show } from "solid-js";
import type uPlot from "uplot";
import type { LaneState } from "../../../coordinator/protocol/race-state.ts";
import { formatRate } from "../lib/format.ts";
import { alignSpeeds, type SpeedSeries } from "../lib/speed-series.ts";

/** Lane colours, in lane order; they stay readable on light and dark backgrounds. */
export const laneColours = ["#2f6fed", "#e0631d", "#1f8f4e", "#b03ab8", "#c53030", "#0f8a8a", "#b7791f", "#5a5fd6"];

/** `finished`: the race is over; a chart with no points is then left out instead of promised. */
export function SpeedChart(props: { series: SpeedSeries; lanes: readonly LaneState[]; finished: boolean }) {
  let host: HTMLDivElement | undefined;
  let plot: uPlot | null = null;
  let shape = "";
  /** true while uPlot loads: later draws only refresh the data once it is there */
  let creating = false;
  const [unavailable, setUnavailable] = createSignal(false);
  const hasPoints = () => props.series.lanes.some((lane) => lane.x.length > 0);
  const nameOf = (laneId: string) => {
    const lane = props.lanes.find((candidate) => candidate.lane_id === laneId);
    return lane ? `${lane.agent_name}${lane.model ? ` · ${lane.model}` : ""}` : laneId;
  };
  const colourOf = (laneId: string) => {
    const index = props.lanes.findIndex((candidate) => candidate.lane_id === laneId);
    return laneColours[Math.max(0, index) % laneColours.length] ?? "#2f6fed";
  };

  const draw = async () => {
    if (!host || !hasPoints() || unavailable()) return;
    const { x, ys } = alignSpeeds(props.series);
    const data: uPlot.AlignedData = [x, ...ys];
    const nextShape = `${props.series.unit}|${props.series.lanes.map((lane) => lane.lane_id).join(",")}`;
    if (creating) return;
    if (plot && shape === nextShape) {
      plot.setData(data);
      return;
    }
    plot?.destroy();
    shape = nextShape;
    const width = Math.max(280, host.clientWidth || 600);
    const opts: uPlot.Options = {
      width,
      height: 220,
      // both axes from zero: lanes line up at the common start, and speeds compare by height
      scales: {
        x: { time: false, range: (_self, _min, max) => [0, Math.max(1, max)] },
        y: { range: (_self, _min, max) => [0, Math.max(1, max) * 1.1] },
      },
      axes: [
        { label: "seconds since the start", stroke: "currentColor", grid: { stroke: "rgba(128,128,128,0.2)" } },
        {
          label: props.series.unit,
          stroke: "currentColor",
          size: 70,
          grid: { stroke: "rgba(128,128,128,0.2)" },
          values: (_self, ticks) => ticks.map((tick) => formatRate(tick)),
        },
      ],
      series: [
        { label: "time", value: (_self, value) => (value === null ? "—" : `${value.toFixed(1)} s`) },
        ...props.series.lanes.map((lane) => ({
          label: nameOf(lane.lane_id),
          stroke: colourOf(lane.lane_id),
          width: 2,
          spanGaps: true,
          value: (_self: uPlot, value: number | null) => (value === null ? "—" : formatRate(value)),
        })),
      ],
    };
    creating = true;
    try {
      const [{ default: UPlot }] = await Promise.all([import("uplot"), import("uplot/dist/uPlot.min.css")]);
      plot = new UPlot(opts, data, host);
    } catch {
      setUnavailable(true);
    } finally {
      creating = false;
    }
    // points (or lanes) that arrived while uPlot loaded
    if (plot) void draw();
  };

  onMount(() => {
    const resize = () => plot?.setSize({ width: Math.max(280, host?.clientWidth ?? 600), height: 220 });
    window.addEventListener("resize", resize);
    onCleanup(() => window.removeEventListener("resize", resize));
  });
  createEffect(() => {
    void props.series;
    void draw();
  });
  onCleanup(() => plot?.destroy());

  return (
    <section class="speed-chart" data-testid="speed-chart" hidden={props.finished && !hasPoints()}>
      <h2>Speed over time</h2>
      <Show when={hasPoints()} fallback={<p class="muted">The chart fills in as the lanes report progress.</p>}>
        <Show when={unavailable()}>
          <p class="muted">This browser cannot draw the chart (no canvas).</p>
        </Show>
      </Show>
      <div ref={host} class="speed-chart-plot" />
    </section>
  );
}
