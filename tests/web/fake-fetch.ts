// A stand-in for the browser's fetch in page tests: answers by "METHOD path" and records requests.
// Pages ask GET /api/session whether they may show the operator's controls: unless a test answers
// it, the page is the operator's; GET /api/settings answers the lab's built-in defaults.
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export type FakeRoute = () => Response;

const operatorSession: Record<string, FakeRoute> = {
  "GET /api/session": () => jsonResponse(200, { operator: true }),
  "GET /api/settings": () => jsonResponse(200, { settings: { models: [], repeats: 1, warmup: 0 } }),
};

export function createFakeFetch(routes: Record<string, FakeRoute>) {
  const requests: RecordedRequest[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), "http://localhost");
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : null;
    requests.push({ method, path: url.pathname + url.search, body });
    const route = { ...operatorSession, ...routes }[`${method} ${url.pathname}`];
    if (!route)
      return jsonResponse(404, { error: { code: "not_found", message: `no route ${method} ${url.pathname}` } });
    return route();
  };
  return { fetchFn, requests };
}

export const jsonResponse = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
