// A machine's runtime figures over the race on its lane card: CPU %, GPU utilisation, memory used
// and power. A figure the machine does not measure says so instead of drawing zero.
import { Show } from "solid-js";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { formatBytes } from "../lib/format.ts";
import { Sparkline } from "./sparkline.tsx";

const mean = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? null : known.reduce((a, b) => a + b, 0) / known.length;
};

const sum = (values: readonly (number | null)[]): number | null =>
  values.length === 0 || values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + (b ?? 0), 0);

export function MachineSparklines(props: { samples: readonly MachineSample[] }) {
  const gpuUtil = () => props.samples.map((s) => mean(s.gpus.map((gpu) => gpu.util_percent)));
  const power = () => props.samples.map((s) => sum(s.gpus.map((gpu) => gpu.power_w)) ?? s.cpu_power_w ?? null);
  const hasGpu = () => props.samples.some((s) => s.gpus.length > 0);
  return (
    <Show when={props.samples.length > 0}>
      <div class="machine-sparklines" data-testid="machine-sparklines">
        <Sparkline
          label="CPU"
          values={props.samples.map((s) => s.cpu_percent)}
          max={100}
          format={(v) => `${Math.round(v)} %`}
          testId="spark-cpu"
        />
        <Show when={hasGpu()}>
          <Sparkline label="GPU" values={gpuUtil()} max={100} format={(v) => `${Math.round(v)} %`} testId="spark-gpu" />
        </Show>
        <Sparkline
          label="Memory"
          values={props.samples.map((s) => s.memory_used_bytes)}
          format={formatBytes}
          testId="spark-memory"
        />
        <Sparkline label="Power" values={power()} format={(v) => `${Math.round(v)} W`} testId="spark-power" />
      </div>
    </Show>
  );
}
