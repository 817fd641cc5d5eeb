// The operator's live view of the lab: who is connected, with each machine's latest runtime
// sample, from the lab room (`?role=operator`, allowed by the operator cookie). It reconnects after
// a drop; a refused socket (not the operator) simply stays quiet.
import { createSignal } from "solid-js";
import { createStore, reconcile } from "solid-js/store";
import { labToOperatorSchema } from "../../../coordinator/protocol/messages.ts";
import type { MachineSample } from "../../../coordinator/protocol/runtime-sample.ts";
import { browserSocket, type ViewerSocket, type ViewerSocketFactory } from "./race-store.ts";

export interface FleetStream {
  /** the machine's latest sample while it is connected, else null */
  sample(agentId: string): MachineSample | null;
  /** counts the lab's reports of machines coming, going, changing status or reporting new hardware */
  changes(): number;
  close(): void;
}

/** The lab room's operator URL on this page's host. */
export function labUrl(location: Pick<Location, "protocol" | "host"> = window.location): string {
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  return `${scheme}://${location.host}/parties/lab/main?role=operator`;
}

export function createFleetStream(url = labUrl(), createSocket: ViewerSocketFactory = browserSocket): FleetStream {
  const [samples, setSamples] = createStore<Record<string, MachineSample>>({});
  const [changes, setChanges] = createSignal(0);
  let socket: ViewerSocket | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;

  const onMessage = (data: string) => {
    let parsed: ReturnType<typeof labToOperatorSchema.safeParse>;
    try {
      parsed = labToOperatorSchema.safeParse(JSON.parse(data));
    } catch {
      return;
    }
    if (!parsed.success) return;
    const message = parsed.data;
    if (message.type === "lab-fleet") {
      const present = new Set(message.agents.map((agent) => agent.agent_id));
      const kept = message.samples.filter((sample) => present.has(sample.agent_id));
      setSamples(reconcile(Object.fromEntries(kept.map((sample) => [sample.agent_id, sample]))));
      setChanges((n) => n + 1);
    } else if (message.type === "fleet-sample") setSamples(message.sample.agent_id, message.sample);
  };

  const connect = () => {
    timer = null;
    socket = createSocket(url, {
      onOpen() {},
      onMessage,
      onClose() {
        socket = null;
        if (!closed) timer = setTimeout(connect, 5000);
      },
    });
  };
  connect();

  return {
    sample: (agentId) => samples[agentId] ?? null,
    changes,
    close() {
      closed = true;
      if (timer !== null) clearTimeout(timer);
      socket?.close();
      socket = null;
    },
  };
}
