// A machine's hardware in one line: "Ryzen 9 7950X · 32 cores · 64 GiB memory · linux x64 · RTX 4090".
import type { Hardware } from "../../../coordinator/protocol/hardware.ts";
import { formatBytes } from "./format.ts";

export function describeHardware(hardware: Hardware): string {
  const parts = [
    hardware.cpu_model,
    `${hardware.cpu_cores} cores`,
    `${formatBytes(hardware.memory_bytes)} memory`,
    `${hardware.os} ${hardware.arch}`,
    ...hardware.gpus.map((gpu) => gpu.name),
  ];
  return parts.join(" · ");
}
