// Decoding relay frames and API bodies into typed messages.
import type { Envelope } from "@/types/envelope";

export type Message = Envelope["message"];
export type MessageType = Message["type"];
export type MessageOf<T extends MessageType> = Extract<Message, { type: T }>;

export const SCHEMA_VERSION = 1;

/** Every message type and its topic (docs/messages.md); a frame on another topic is rejected. */
export const TOPIC_OF_TYPE: Record<MessageType, string> = {
  Bar: "market.bar",
  GapDetected: "market.gap",
  NewsItem: "news.item",
  FeatureFrame: "market.features",
  Signal: "signal.emitted",
  RiskDecision: "risk.decision",
  RiskLimitBreached: "risk.limit_breached",
  SetKillSwitch: "risk.kill_switch.set",
  KillSwitchChanged: "risk.kill_switch.changed",
  ApprovalRequested: "approval.requested",
  ApprovalDecided: "approval.decided",
  SubmitOrder: "order.submit",
  CancelOrder: "order.cancel",
  OrderAccepted: "order.accepted",
  OrderRejected: "order.rejected",
  OrderCanceled: "order.canceled",
  OrderFilled: "order.filled",
  PositionChanged: "position.changed",
  PortfolioSnapshot: "portfolio.snapshot",
  AlertDelivered: "alert.delivered",
  AlertFailed: "alert.failed",
  Heartbeat: "system.heartbeat",
  LogRecord: "system.log",
};

export type RejectReason =
  | "malformed_json"
  | "wrong_schema_version"
  | "unknown_type"
  | "wrong_topic"
  | "invalid_fields";

export type Decoded =
  | { ok: true; envelope: Envelope }
  | { ok: false; reason: RejectReason; detail: string };

/** A relay control frame (`{"op": "subscribed", ...}`), not an envelope. */
export type ControlFrame = { op: string; [key: string]: unknown };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const hasOwn = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

const REQUIRED: Partial<Record<MessageType, readonly string[]>> = {
  Bar: ["symbol", "timeframe", "ts_open", "open", "high", "low", "close", "volume"],
  Signal: ["signal_id", "symbol", "direction", "confidence", "probabilities", "model", "explanation"],
  ApprovalRequested: ["approval_id", "signal_id", "symbol", "side", "quantity", "expires_at"],
  ApprovalDecided: ["approval_id", "approved"],
  OrderFilled: ["symbol", "side", "last_quantity", "last_price"],
  PositionChanged: ["symbol", "quantity", "realized_pnl", "unrealized_pnl"],
  PortfolioSnapshot: ["equity", "drawdown_pct"],
  KillSwitchChanged: ["engaged"],
  LogRecord: ["service", "level", "text"],
  Heartbeat: ["service", "status"],
};

/** Check a message object (`message` of an envelope, or an API item) and narrow it. */
export function checkMessage(value: unknown): { ok: true; message: Message } | Exclude<Decoded, { ok: true }> {
  if (!isObject(value)) return { ok: false, reason: "invalid_fields", detail: "message is not an object" };
  const type = value.type;
  if (typeof type !== "string" || !hasOwn(TOPIC_OF_TYPE, type)) {
    return { ok: false, reason: "unknown_type", detail: `unknown message type ${String(type)}` };
  }
  if (typeof value.ts_event !== "string") {
    return { ok: false, reason: "invalid_fields", detail: `${type}: ts_event missing` };
  }
  for (const field of REQUIRED[type as MessageType] ?? []) {
    if (!hasOwn(value, field)) return { ok: false, reason: "invalid_fields", detail: `${type}: ${field} missing` };
  }
  return { ok: true, message: value as unknown as Message };
}

/** Decode one relay text frame into an envelope, with the same reasons the Python consumers count. */
export function decodeEnvelope(raw: string): Decoded {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, reason: "malformed_json", detail: String(error) };
  }
  return decodeValue(value);
}

export function decodeValue(value: unknown): Decoded {
  if (!isObject(value)) return { ok: false, reason: "malformed_json", detail: "not a JSON object" };
  if (value.schema_version !== SCHEMA_VERSION) {
    return { ok: false, reason: "wrong_schema_version", detail: `schema_version ${String(value.schema_version)}` };
  }
  const checked = checkMessage(value.message);
  if (!checked.ok) return checked;
  const expected = TOPIC_OF_TYPE[checked.message.type];
  if (value.topic !== expected) {
    return { ok: false, reason: "wrong_topic", detail: `${checked.message.type} on ${String(value.topic)}` };
  }
  if (typeof value.correlation_id !== "string") {
    return { ok: false, reason: "invalid_fields", detail: "correlation_id missing" };
  }
  return { ok: true, envelope: value as unknown as Envelope };
}

/** A relay control frame has `op` and no `message`. */
export function parseControl(raw: string): ControlFrame | null {
  try {
    const value: unknown = JSON.parse(raw);
    return isObject(value) && typeof value.op === "string" && !hasOwn(value, "message")
      ? (value as ControlFrame)
      : null;
  } catch {
    return null;
  }
}

/** Items of a list answer: a bare array, or `{items|signals|positions|orders|models|approvals: [...]}`. */
export function listOf(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (isObject(body)) {
    for (const key of ["items", "signals", "positions", "orders", "models", "approvals", "data"]) {
      const inner = body[key];
      if (Array.isArray(inner)) return inner;
    }
  }
  return [];
}

/** API items may be bare messages or whole envelopes; return the valid messages of `type`. */
export function messagesOf<T extends MessageType>(body: unknown, type: T): MessageOf<T>[] {
  const out: MessageOf<T>[] = [];
  for (const item of listOf(body)) {
    const inner = isObject(item) && hasOwn(item, "schema_version") ? item.message : item;
    const checked = checkMessage(inner);
    if (checked.ok && checked.message.type === type) out.push(checked.message as MessageOf<T>);
  }
  return out;
}

/** A decimal string as a number for display and charts (never written back). */
export const num = (value: string | number | null | undefined): number =>
  value === null || value === undefined ? Number.NaN : typeof value === "number" ? value : Number(value);

/** Seconds since the epoch, for lightweight-charts' UTCTimestamp. */
export const epochSecs = (iso: string): number => Math.floor(Date.parse(iso) / 1000);
