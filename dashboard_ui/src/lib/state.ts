// The dashboard's state and its pure reducer: history from the API, then envelopes from the relay.
import type { Envelope } from "@/types/envelope";
import { epochSecs, type MessageOf, type RejectReason } from "@/lib/decode";

export type Bar = MessageOf<"Bar">;
export type Signal = MessageOf<"Signal">;
export type OrderFilled = MessageOf<"OrderFilled">;
export type ApprovalRequested = MessageOf<"ApprovalRequested">;
export type ApprovalDecided = MessageOf<"ApprovalDecided">;
export type PositionChanged = MessageOf<"PositionChanged">;
export type PortfolioSnapshot = MessageOf<"PortfolioSnapshot">;
export type KillSwitchChanged = MessageOf<"KillSwitchChanged">;
export type LogRecord = MessageOf<"LogRecord">;
export type Heartbeat = MessageOf<"Heartbeat">;
export type RiskEvent = MessageOf<"RiskLimitBreached"> | MessageOf<"RiskDecision">;

export type ConnectionState = "idle" | "connecting" | "open" | "reconnecting" | "unauthorized";

export interface Approval {
  request: ApprovalRequested;
  decided: ApprovalDecided | null;
}

export interface LogLine {
  id: number;
  ts: string;
  service: string;
  level: string;
  text: string;
}

export interface State {
  connection: { state: ConnectionState; detail: string; attempt: number };
  bars: Record<string, Bar[]>;
  symbols: string[];
  signals: Signal[];
  fills: OrderFilled[];
  approvals: Record<string, Approval>;
  positions: Record<string, PositionChanged>;
  portfolio: PortfolioSnapshot[];
  killSwitch: KillSwitchChanged | null;
  riskEvents: RiskEvent[];
  logs: LogLine[];
  heartbeats: Record<string, Heartbeat>;
  received: number;
  rejected: Partial<Record<RejectReason, number>>;
  nextLogId: number;
}

export const DEFAULT_SYMBOLS = ["BTC/USDT", "ETH/USDT", "SOL/USDT", "XRP/USDT", "ADA/USDT", "LTC/USDT"];
export const MAX_BARS = 2_000;
export const MAX_SIGNALS = 500;
export const MAX_FILLS = 500;
export const MAX_LOGS = 1_000;
export const MAX_PORTFOLIO = 5_000;

export const initialState: State = {
  connection: { state: "idle", detail: "", attempt: 0 },
  bars: {},
  symbols: [...DEFAULT_SYMBOLS],
  signals: [],
  fills: [],
  approvals: {},
  positions: {},
  portfolio: [],
  killSwitch: null,
  riskEvents: [],
  logs: [],
  heartbeats: {},
  received: 0,
  rejected: {},
  nextLogId: 0,
};

export type Action =
  | { type: "envelope"; envelope: Envelope }
  | { type: "envelopes"; envelopes: Envelope[] }
  | { type: "rejected"; reason: RejectReason }
  | { type: "connection"; state: ConnectionState; detail?: string; attempt?: number }
  | { type: "history/bars"; symbol: string; bars: Bar[] }
  | { type: "history/signals"; signals: Signal[] }
  | { type: "history/fills"; fills: OrderFilled[] }
  | { type: "history/positions"; positions: PositionChanged[] }
  | { type: "history/portfolio"; snapshots: PortfolioSnapshot[] }
  | { type: "history/approvals"; approvals: ApprovalRequested[] }
  | { type: "history/signal"; signal: Signal }
  | { type: "reset" };

const byTime = <T extends { ts_event: string }>(a: T, b: T) => Date.parse(a.ts_event) - Date.parse(b.ts_event);

/** Merge bars into a symbol's series: keyed by open time, sorted, newest `MAX_BARS` kept. */
export function mergeBars(existing: readonly Bar[], incoming: readonly Bar[]): Bar[] {
  if (incoming.length === 0) return existing as Bar[];
  const last = existing[existing.length - 1];
  // Fast path: one new bar after the last (the live stream).
  if (incoming.length === 1 && last && incoming[0] && Date.parse(incoming[0].ts_open) > Date.parse(last.ts_open)) {
    const next = [...existing, incoming[0]];
    return next.length > MAX_BARS ? next.slice(next.length - MAX_BARS) : next;
  }
  const map = new Map<number, Bar>();
  for (const bar of existing) map.set(Date.parse(bar.ts_open), bar);
  for (const bar of incoming) map.set(Date.parse(bar.ts_open), bar);
  const merged = [...map.entries()].sort((a, b) => a[0] - b[0]).map(([, bar]) => bar);
  return merged.length > MAX_BARS ? merged.slice(merged.length - MAX_BARS) : merged;
}

function upsertNewestFirst<T>(list: readonly T[], item: T, key: (t: T) => string, cap: number): T[] {
  const id = key(item);
  const rest = list.filter((other) => key(other) !== id);
  const next = [item, ...rest];
  return next.length > cap ? next.slice(0, cap) : next;
}

function mergeNewestFirst<T extends { ts_event: string }>(
  list: readonly T[],
  items: readonly T[],
  key: (t: T) => string,
  cap: number,
): T[] {
  const map = new Map<string, T>();
  for (const item of [...list, ...items]) map.set(key(item), item);
  return [...map.values()].sort((a, b) => byTime(b, a)).slice(0, cap);
}

const addSymbol = (symbols: string[], symbol: string) => (symbols.includes(symbol) ? symbols : [...symbols, symbol]);
const fillKey = (fill: OrderFilled) => `${fill.client_order_id}:${fill.trade_id ?? fill.ts_event}:${fill.cumulative_quantity}`;
const signalKey = (signal: Signal) => signal.signal_id;

function appendLog(state: State, line: Omit<LogLine, "id">): State {
  const logs = [...state.logs, { ...line, id: state.nextLogId }];
  return {
    ...state,
    logs: logs.length > MAX_LOGS ? logs.slice(logs.length - MAX_LOGS) : logs,
    nextLogId: state.nextLogId + 1,
  };
}

/** Apply one relay envelope. */
export function applyEnvelope(state: State, envelope: Envelope): State {
  const received = { ...state, received: state.received + 1 };
  const message = envelope.message;
  switch (message.type) {
    case "Bar":
      return {
        ...received,
        symbols: addSymbol(state.symbols, message.symbol),
        bars: { ...state.bars, [message.symbol]: mergeBars(state.bars[message.symbol] ?? [], [message]) },
      };
    case "Signal":
      return appendLog(
        { ...received, signals: upsertNewestFirst(state.signals, message, signalKey, MAX_SIGNALS) },
        {
          ts: message.ts_event,
          service: "model_engine",
          level: "INFO",
          text: `signal ${message.symbol} ${message.direction} ${(message.confidence * 100).toFixed(1)}%`,
        },
      );
    case "OrderFilled":
      return { ...received, fills: upsertNewestFirst(state.fills, message, fillKey, MAX_FILLS) };
    case "ApprovalRequested": {
      const prior = state.approvals[message.approval_id];
      return {
        ...received,
        approvals: { ...state.approvals, [message.approval_id]: { request: message, decided: prior?.decided ?? null } },
      };
    }
    case "ApprovalDecided": {
      const prior = state.approvals[message.approval_id];
      if (!prior) return received;
      return { ...received, approvals: { ...state.approvals, [message.approval_id]: { ...prior, decided: message } } };
    }
    case "PositionChanged":
      return { ...received, positions: { ...state.positions, [message.symbol]: message } };
    case "PortfolioSnapshot": {
      const portfolio = [...state.portfolio, message];
      return { ...received, portfolio: portfolio.length > MAX_PORTFOLIO ? portfolio.slice(-MAX_PORTFOLIO) : portfolio };
    }
    case "KillSwitchChanged":
      return { ...received, killSwitch: message };
    case "RiskLimitBreached":
    case "RiskDecision":
      return { ...received, riskEvents: [message, ...state.riskEvents].slice(0, 100) };
    case "LogRecord":
      return appendLog(received, { ts: message.ts_event, service: message.service, level: message.level, text: message.text });
    case "Heartbeat":
      return { ...received, heartbeats: { ...state.heartbeats, [message.service]: message } };
    case "GapDetected":
      return appendLog(received, {
        ts: message.ts_event,
        service: "data_core",
        level: "WARNING",
        text: `gap in ${message.symbol} ${message.timeframe}`,
      });
    default:
      return received;
  }
}

export function reducer(state: State, action: Action): State {
  switch (action.type) {
    case "envelope":
      return applyEnvelope(state, action.envelope);
    case "envelopes":
      return action.envelopes.reduce(applyEnvelope, state);
    case "rejected":
      return { ...state, rejected: { ...state.rejected, [action.reason]: (state.rejected[action.reason] ?? 0) + 1 } };
    case "connection":
      return {
        ...state,
        connection: {
          state: action.state,
          detail: action.detail ?? "",
          attempt: action.attempt ?? (action.state === "open" ? 0 : state.connection.attempt),
        },
      };
    case "history/bars":
      return {
        ...state,
        symbols: addSymbol(state.symbols, action.symbol),
        bars: { ...state.bars, [action.symbol]: mergeBars(state.bars[action.symbol] ?? [], action.bars) },
      };
    case "history/signals":
      return { ...state, signals: mergeNewestFirst(state.signals, action.signals, signalKey, MAX_SIGNALS) };
    case "history/signal":
      return { ...state, signals: mergeNewestFirst(state.signals, [action.signal], signalKey, MAX_SIGNALS) };
    case "history/fills":
      return { ...state, fills: mergeNewestFirst(state.fills, action.fills, fillKey, MAX_FILLS) };
    case "history/positions": {
      const positions = { ...state.positions };
      for (const position of action.positions) {
        const prior = positions[position.symbol];
        if (!prior || byTime(prior, position) <= 0) positions[position.symbol] = position;
      }
      return { ...state, positions };
    }
    case "history/portfolio": {
      const seen = new Set(state.portfolio.map((p) => p.ts_event));
      const merged = [...state.portfolio, ...action.snapshots.filter((p) => !seen.has(p.ts_event))].sort(byTime);
      return { ...state, portfolio: merged.slice(-MAX_PORTFOLIO) };
    }
    case "history/approvals": {
      // Pending approvals asked before the page opened; one the relay already showed keeps its state.
      const approvals = { ...state.approvals };
      for (const request of action.approvals) {
        if (!approvals[request.approval_id]) approvals[request.approval_id] = { request, decided: null };
      }
      return { ...state, approvals };
    }
    case "reset":
      return initialState;
  }
}

/** Markers for one symbol's chart: signals and fills snapped to the bar they belong to, sorted by time. */
export interface ChartMarker {
  time: number;
  kind: "signal" | "fill";
  direction: "up" | "down" | "flat" | "buy" | "sell";
  text: string;
}

export function markersFor(bars: readonly Bar[], signals: readonly Signal[], fills: readonly OrderFilled[], symbol: string): ChartMarker[] {
  if (bars.length === 0) return [];
  const opens = bars.map((bar) => epochSecs(bar.ts_open));
  const first = opens[0] ?? 0;
  const snap = (t: number): number | null => {
    if (t < first) return null;
    let lo = 0;
    let hi = opens.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((opens[mid] ?? 0) <= t) lo = mid;
      else hi = mid - 1;
    }
    return opens[lo] ?? null;
  };
  const out: ChartMarker[] = [];
  for (const signal of signals) {
    if (signal.symbol !== symbol) continue;
    // A signal is made at a bar's close: it belongs to the bar that just closed.
    const time = snap(epochSecs(signal.ts_event) - 1);
    if (time === null) continue;
    out.push({ time, kind: "signal", direction: signal.direction, text: `${signal.direction} ${Math.round(signal.confidence * 100)}%` });
  }
  for (const fill of fills) {
    if (fill.symbol !== symbol) continue;
    const time = snap(epochSecs(fill.ts_event));
    if (time === null) continue;
    out.push({ time, kind: "fill", direction: fill.side, text: `${fill.side} ${fill.last_quantity} @ ${fill.last_price}` });
  }
  return out.sort((a, b) => a.time - b.time);
}

/** Equity and drawdown series (percent) from portfolio snapshots, one point per second. */
export function pnlSeries(snapshots: readonly PortfolioSnapshot[]): { time: number; equity: number; drawdown: number }[] {
  const bySecond = new Map<number, { time: number; equity: number; drawdown: number }>();
  for (const s of snapshots) {
    const time = epochSecs(s.ts_event);
    bySecond.set(time, { time, equity: Number(s.equity), drawdown: -Math.abs(Number(s.drawdown_pct)) });
  }
  return [...bySecond.values()].sort((a, b) => a.time - b.time);
}
