import { describe, expect, it } from "vitest";
import { decodeEnvelope } from "@/lib/decode";
import { type ApprovalRequested, type Bar, type State, initialState, markersFor, mergeBars, pnlSeries, reducer } from "@/lib/state";
import type { Envelope } from "@/types/envelope";
import { golden } from "./golden";

const env = (type: string, patch: Record<string, unknown> = {}): Envelope => {
  const base = golden(type);
  const raw = JSON.stringify({ ...base, message: { ...(base.message as object), ...patch } });
  const decoded = decodeEnvelope(raw);
  if (!decoded.ok) throw new Error(decoded.detail);
  return decoded.envelope;
};

const bar = (open: string, close: string): Bar =>
  env("Bar", { ts_open: open, ts_event: close }).message as Bar;

const apply = (state: State, ...envelopes: Envelope[]) =>
  envelopes.reduce((s, envelope) => reducer(s, { type: "envelope", envelope }), state);

describe("reducer", () => {
  it("merges history and live bars by open time, sorted and deduplicated", () => {
    const history = [bar("2024-01-01T01:00:00Z", "2024-01-01T02:00:00Z"), bar("2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z")];
    let state = reducer(initialState, { type: "history/bars", symbol: "BTC/USDT", bars: history });
    state = apply(state, env("Bar", { ts_open: "2024-01-01T02:00:00Z", ts_event: "2024-01-01T03:00:00Z" }));
    state = apply(state, env("Bar", { ts_open: "2024-01-01T02:00:00Z", ts_event: "2024-01-01T03:00:00Z", close: "1.5" }));
    const opens = (state.bars["BTC/USDT"] ?? []).map((b) => b.ts_open);
    expect(opens).toEqual(["2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z", "2024-01-01T02:00:00Z"]);
    expect(state.bars["BTC/USDT"]?.[2]?.close).toBe("1.5");
    expect(state.received).toBe(2);
  });

  it("caps a series", () => {
    const many = Array.from({ length: 2_100 }, (_, i) => bar(new Date(i * 3_600_000).toISOString(), new Date((i + 1) * 3_600_000).toISOString()));
    expect(mergeBars([], many)).toHaveLength(2_000);
  });

  it("keeps signals newest first without duplicates and logs them", () => {
    const older = env("Signal", { signal_id: "A", ts_event: "2024-01-01T01:00:00Z" });
    const newer = env("Signal", { signal_id: "B", ts_event: "2024-01-01T02:00:00Z" });
    const state = apply(initialState, older, newer, older);
    expect(state.signals.map((s) => s.signal_id)).toEqual(["A", "B"]);
    const merged = reducer(state, { type: "history/signals", signals: [older.message, newer.message] as never });
    expect(merged.signals.map((s) => s.signal_id)).toEqual(["B", "A"]);
    expect(state.logs.at(-1)?.text).toContain("signal BTC/USDT up");
  });

  it("tracks an approval from request to decision", () => {
    let state = apply(initialState, env("ApprovalRequested"));
    const id = "01HK3TQ8X2G7H0QJ5S8V4W1C6E";
    expect(state.approvals[id]?.decided).toBeNull();
    state = apply(state, env("ApprovalDecided"));
    expect(state.approvals[id]?.decided?.approved).toBe(true);
    // A decision for an unknown approval changes nothing but the count.
    const unknown = apply(initialState, env("ApprovalDecided"));
    expect(unknown.approvals).toEqual({});
  });

  it("adds the pending approvals loaded on open without undoing a decision the relay brought", () => {
    const id = "01HK3TQ8X2G7H0QJ5S8V4W1C6E";
    const pending = env("ApprovalRequested").message as ApprovalRequested;
    const other = env("ApprovalRequested", { approval_id: "apr-2" }).message as ApprovalRequested;
    let state = reducer(initialState, { type: "history/approvals", approvals: [pending] });
    expect(state.approvals[id]).toEqual({ request: pending, decided: null });
    state = apply(state, env("ApprovalDecided"));
    // A late answer of GET /api/approvals still listing it must not make it pending again.
    state = reducer(state, { type: "history/approvals", approvals: [pending, other] });
    expect(state.approvals[id]?.decided?.approved).toBe(true);
    expect(state.approvals["apr-2"]?.decided).toBeNull();
  });

  it("follows fills, positions, portfolio, kill switch, heartbeats and logs", () => {
    const state = apply(
      initialState,
      env("OrderFilled"),
      env("PositionChanged"),
      env("PortfolioSnapshot"),
      env("KillSwitchChanged"),
      env("Heartbeat"),
      env("LogRecord"),
    );
    expect(state.fills).toHaveLength(1);
    expect(state.positions["BTC/USDT"]?.quantity).toBe("0.014985");
    expect(state.portfolio[0]?.equity).toBe("9999.29768");
    expect(state.killSwitch?.engaged).toBe(true);
    expect(state.heartbeats.model_engine?.seq).toBe(2702);
    expect(state.logs.at(-1)?.level).toBe("WARNING");
  });

  it("counts rejections and follows the connection", () => {
    let state = reducer(initialState, { type: "rejected", reason: "wrong_topic" });
    state = reducer(state, { type: "rejected", reason: "wrong_topic" });
    expect(state.rejected.wrong_topic).toBe(2);
    state = reducer(state, { type: "connection", state: "reconnecting", attempt: 3, detail: "closed 1006" });
    expect(state.connection).toEqual({ state: "reconnecting", attempt: 3, detail: "closed 1006" });
    state = reducer(state, { type: "connection", state: "open" });
    expect(state.connection.attempt).toBe(0);
  });
});

describe("chart helpers", () => {
  it("snaps signals to the bar that closed and fills to their bar, sorted by time", () => {
    const bars = [bar("2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z"), bar("2024-01-01T01:00:00Z", "2024-01-01T02:00:00Z")];
    const signal = env("Signal", { ts_event: "2024-01-01T01:00:00Z" }).message;
    const fill = env("OrderFilled", { ts_event: "2024-01-01T01:02:41.392000Z" }).message;
    const markers = markersFor(bars, [signal] as never, [fill] as never, "BTC/USDT");
    expect(markers.map((m) => [m.kind, m.time])).toEqual([
      ["signal", Date.parse("2024-01-01T00:00:00Z") / 1000],
      ["fill", Date.parse("2024-01-01T01:00:00Z") / 1000],
    ]);
    expect(markersFor(bars, [signal] as never, [], "ETH/USDT")).toEqual([]);
  });

  it("builds the equity and drawdown series", () => {
    const snap = env("PortfolioSnapshot").message;
    expect(pnlSeries([snap] as never)).toEqual([{ time: Date.parse("2024-01-01T01:02:41Z") / 1000, equity: 9999.29768, drawdown: -0.007 }]);
  });
});
