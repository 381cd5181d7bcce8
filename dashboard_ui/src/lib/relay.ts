// The relay websocket: subscribe with the token in the first frame, reconnect with backoff.
import { decodeEnvelope, parseControl, type RejectReason } from "@/lib/decode";
import type { ConnectionState } from "@/lib/state";
import type { Envelope } from "@/types/envelope";

export const POLICY_CLOSE = 1008;

export interface RelayHandlers {
  onEnvelopes(envelopes: Envelope[]): void;
  onRejected(reason: RejectReason): void;
  onState(state: ConnectionState, detail: string, attempt: number): void;
}

/** Delay before reconnect attempt `attempt` (1-based): 0.5 s doubling to 10 s. */
export const backoffMs = (attempt: number): number => Math.min(10_000, 500 * 2 ** Math.max(0, attempt - 1));

export class RelayClient {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private pending: Envelope[] = [];
  private attempt = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly handlers: RelayHandlers,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.timer = this.flushTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket && socket.readyState <= WebSocket.OPEN) socket.close(1000, "page closed");
  }

  private connect(): void {
    this.handlers.onState(this.attempt === 0 ? "connecting" : "reconnecting", "", this.attempt);
    const socket = new WebSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      socket.send(JSON.stringify({ op: "subscribe", topics: ["*"], token: this.token }));
    };
    socket.onmessage = (event: MessageEvent) => {
      if (typeof event.data !== "string") return;
      const control = parseControl(event.data);
      if (control) {
        if (control.op === "subscribed") {
          this.attempt = 0;
          this.handlers.onState("open", "", 0);
        }
        return;
      }
      const decoded = decodeEnvelope(event.data);
      if (decoded.ok) this.queue(decoded.envelope);
      else this.handlers.onRejected(decoded.reason);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket || this.stopped) return;
      this.flush();
      this.socket = null;
      if (event.code === POLICY_CLOSE && event.reason.startsWith("unauthorized")) {
        this.handlers.onState("unauthorized", event.reason, this.attempt);
        return;
      }
      this.attempt += 1;
      const delay = backoffMs(this.attempt);
      this.handlers.onState("reconnecting", `closed (${event.code}); retrying in ${(delay / 1000).toFixed(1)} s`, this.attempt);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  /** Batch frames per animation-ish tick so a fast replay does not re-render per message. */
  private queue(envelope: Envelope): void {
    this.pending.push(envelope);
    if (!this.flushTimer) this.flushTimer = setTimeout(() => this.flush(), 100);
  }

  private flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.handlers.onEnvelopes(batch);
  }
}
