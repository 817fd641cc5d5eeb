// A stand-in for the browser's fetch in page tests: answers by "METHOD path" and records requests.
export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

export type FakeRoute = () => Response;

export function createFakeFetch(routes: Record<string, FakeRoute>) {
  const requests: RecordedRequest[] = [];
  const fetchFn = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), "http://localhost");
    const method = init?.method ?? "GET";
    const body = typeof init?.body === "string" ? JSON.parse(init.body) : null;
    requests.push({ method, path: url.pathname + url.search, body });
    const route = routes[`${method} ${url.pathname}`];
    if (!route)
      return jsonResponse(404, { error: { code: "not_found", message: `no route ${method} ${url.pathname}` } });
    return route();
  };
  return { fetchFn, requests };
}

export const jsonResponse = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
