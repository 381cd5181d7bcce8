import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Dashboard } from "@/components/Dashboard";
import { refusedBy } from "@/components/Operations";
import type { MessageOf } from "@/lib/decode";
import { TOKEN_KEY } from "@/lib/stores";
import { golden } from "./golden";

// The charts draw on canvas, which jsdom lacks; they are not what this test is about.
vi.mock("@/components/Charts", () => ({ CandleChart: () => null, PnlChart: () => null }));

/** A relay socket that never opens: the page must show pending approvals without it. */
class SilentSocket {
  static readonly OPEN = 1;
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  send() {}
  close() {
    this.readyState = 3;
  }
}

const TOKEN = "read-token-for-the-test";

describe("Dashboard on open", () => {
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    const approval = golden("ApprovalRequested").message;
    fetchMock = vi.fn((input: string | URL | Request) => {
      const path = String(input);
      const body = path === "/api/approvals" ? [approval] : path === "/api/health" ? { status: "ok", services: {} } : [];
      return Promise.resolve(new Response(JSON.stringify(body), { status: 200, headers: { "Content-Type": "application/json" } }));
    });
    vi.stubGlobal("fetch", fetchMock);
    vi.stubGlobal("WebSocket", SilentSocket);
    sessionStorage.setItem(TOKEN_KEY, TOKEN);
  });

  afterEach(() => {
    cleanup();
    sessionStorage.clear();
    vi.unstubAllGlobals();
  });

  it("loads the pending approvals (GET /api/approvals) into the queue", async () => {
    render(<Dashboard />);
    const approve = await screen.findByRole("button", { name: "Approve buy 0.0235 BTC/USDT" });
    const card = approve.closest("li");
    expect(card).not.toBeNull();
    expect(within(card as HTMLElement).getByText("BTC/USDT")).toBeTruthy();
    expect(card?.textContent).toContain("log_ret_1 +0.071");
    expect(screen.getByRole("button", { name: "Reject buy 0.0235 BTC/USDT" })).toBeTruthy();
    const call = fetchMock.mock.calls.find(([input]) => String(input) === "/api/approvals");
    expect(call).toBeDefined();
    expect((call?.[1] as RequestInit | undefined)?.headers).toEqual({ Authorization: `Bearer ${TOKEN}` });
  });

  it("says so in the queue when the pending approvals cannot be loaded", async () => {
    fetchMock.mockImplementation((input: string | URL | Request) =>
      Promise.resolve(
        String(input) === "/api/approvals"
          ? new Response(JSON.stringify({ detail: "exec_core is unavailable" }), { status: 503 })
          : new Response("[]", { status: 200 }),
      ),
    );
    render(<Dashboard />);
    expect(await screen.findByText(/pending approvals: the owning service is down or starting \(503\)/)).toBeTruthy();
    expect(screen.getByText(/No trade waits for approval/)).toBeTruthy();
  });
});

describe("refusedBy", () => {
  it("names the rules that refused a decision", () => {
    const decision = golden("RiskDecision").message as MessageOf<"RiskDecision">;
    const refused = {
      ...decision,
      accepted: false,
      side: null,
      verdicts: [
        { rule: "fresh", passed: false, reason: "age 7200s (limit 3600s)" },
        { rule: "confidence", passed: true, reason: "confidence 0.5 (min 0.45)" },
        { rule: "position_policy", passed: false, reason: "down signal with no position" },
      ],
    } as MessageOf<"RiskDecision">;
    expect(refusedBy(refused)).toBe("fresh, position_policy");
    expect(refusedBy({ ...refused, verdicts: [] })).toBe("no rule named");
  });
});
