// The gateway's HTTP API: same origin when served by the gateway; `next dev` rewrites /api to it.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
  ) {
    super(`${status}: ${detail}`);
  }
}

/** A human line for an API failure: refused token, service not ready, or down. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return "unauthorized: the token is missing or wrong";
    if (error.status === 403) return "refused: this needs the operator token";
    if (error.status === 404) return "not available yet (404): the owning service does not serve this route";
    if (error.status === 503) return "the owning service is down or starting (503)";
    if (error.status === 504) return "the owning service did not answer in time (504)";
    return `error ${error.status}: ${error.detail}`;
  }
  return error instanceof Error ? error.message : String(error);
}

async function detailOf(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (body && typeof body === "object" && "detail" in body) return JSON.stringify((body as { detail: unknown }).detail);
    return JSON.stringify(body);
  } catch {
    return response.statusText;
  }
}

export async function apiGet(path: string, token: string, signal?: AbortSignal): Promise<unknown> {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, signal, cache: "no-store" });
  if (!response.ok) throw new ApiError(response.status, await detailOf(response));
  return response.json();
}

export async function apiPost(path: string, token: string, body: unknown): Promise<unknown> {
  const response = await fetch(path, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new ApiError(response.status, await detailOf(response));
  const text = await response.text();
  return text ? (JSON.parse(text) as unknown) : null;
}

/** The relay's URL: `NEXT_PUBLIC_NTX_WS_URL` under `next dev`, else `/ws` of this origin. */
export function relayUrl(): string {
  const configured = process.env.NEXT_PUBLIC_NTX_WS_URL;
  if (configured) return configured;
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${window.location.host}/ws`;
}
