/** Builds the API over an in-memory database and fake rooms, plus agents to race with. */
import { type ApiDeps, createApi } from "../../coordinator/api/create-api.ts";
import type { AgentStatus } from "../../coordinator/protocol/enums.ts";
import type { Backends, Hardware } from "../../coordinator/protocol/hardware.ts";
import { silentLogger } from "../../coordinator/protocol/logger.ts";
import { applyFleetChange } from "../../db/agents.ts";
import { type Db, openDatabase } from "../../db/client.ts";
import { createFakeRooms, type FakeRooms } from "./api-fake-rooms.ts";

export const testOperatorKey = "test-operator-key-0123456789";
export const testPublicUrl = "http://127.0.0.1:8080";
/** 2026-01-02T03:04:05.000Z */
export const testNow = Date.UTC(2026, 0, 2, 3, 4, 5);

export const testHardware: Hardware = {
  cpu_model: "Test CPU",
  cpu_cores: 8,
  cpu_physical_cores: 4,
  memory_bytes: 16 * 1024 ** 3,
  os: "linux",
  arch: "x64",
  gpus: [],
};

/** What `seedAgent` says a test agent can run by default: the compute backend only. */
const computeOnly: Backends = { compute: { reachable: true, version: "1", models: [] } };

export function seedAgent(
  db: Db,
  id: string,
  name: string,
  status: AgentStatus = "online",
  now = testNow,
  backends: Backends = computeOnly,
): void {
  applyFleetChange(
    db,
    {
      type: "agent-seen",
      agent: {
        agent_id: id,
        name,
        version: "0.1.0",
        hardware: testHardware,
        backends,
      },
      status,
    },
    now,
  );
}

export interface TestApi {
  app: ReturnType<typeof createApi>;
  db: Db;
  rooms: FakeRooms;
  close(): void;
}

export function createTestApi(
  overrides: Partial<Pick<ApiDeps, "sinkSecret" | "log" | "agentToken" | "agentKeySecret" | "images">> = {},
): TestApi {
  const { db, close } = openDatabase(":memory:");
  const rooms = createFakeRooms();
  const app = createApi({
    db,
    operatorKey: testOperatorKey,
    publicUrl: testPublicUrl,
    rooms,
    version: "9.9.9",
    mode: "local",
    now: () => testNow,
    log: silentLogger,
    ...overrides,
  });
  return { app, db, rooms, close };
}

export const operatorHeaders = { authorization: `Bearer ${testOperatorKey}`, "content-type": "application/json" };

/** POSTs JSON with the operator key. */
export const postJson = (api: TestApi, path: string, body: unknown): Promise<Response> =>
  Promise.resolve(api.app.request(path, { method: "POST", headers: operatorHeaders, body: JSON.stringify(body) }));
