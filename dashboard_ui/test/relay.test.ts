import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { RelayClient, backoffMs } from "@/lib/relay";
import { goldenFrames } from "./golden";

class FakeSocket {
  static instances: FakeSocket[] = [];
  static readonly OPEN = 1;
  readyState = 0;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.instances.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(data: string) {
    this.onmessage?.({ data });
  }
  drop(code = 1006, reason = "") {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

describe("RelayClient", () => {
  beforeEach(() => {
    FakeSocket.instances = [];
    vi.useFakeTimers();
    vi.stubGlobal("WebSocket", FakeSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  const client = () => {
    const states: string[] = [];
    const batches: number[] = [];
    const rejected: string[] = [];
    const relay = new RelayClient("ws://gateway/ws", "tok", {
      onEnvelopes: (envelopes) => batches.push(envelopes.length),
      onRejected: (reason) => rejected.push(reason),
      onState: (state, _detail, attempt) => states.push(`${state}:${attempt}`),
    });
    return { relay, states, batches, rejected };
  };

  it("subscribes with the token in the first frame and batches envelopes", () => {
    const { relay, states, batches, rejected } = client();
    relay.start();
    const socket = FakeSocket.instances[0]!;
    socket.open();
    expect(JSON.parse(socket.sent[0]!)).toEqual({ op: "subscribe", topics: ["*"], token: "tok" });
    expect(socket.url).not.toContain("tok");
    socket.receive('{"op":"subscribed","topics":["*"]}');
    const frames = goldenFrames();
    socket.receive(frames.Bar!);
    socket.receive(frames.Heartbeat!);
    socket.receive("{broken");
    vi.advanceTimersByTime(150);
    expect(states).toEqual(["connecting:0", "open:0"]);
    expect(batches).toEqual([2]);
    expect(rejected).toEqual(["malformed_json"]);
    relay.stop();
  });

  it("reconnects with backoff and shows the attempt", () => {
    const { relay, states } = client();
    relay.start();
    FakeSocket.instances[0]!.drop();
    expect(states.at(-1)).toBe("reconnecting:1");
    vi.advanceTimersByTime(backoffMs(1));
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1]!.open();
    FakeSocket.instances[1]!.receive('{"op":"subscribed","topics":["*"]}');
    expect(states.at(-1)).toBe("open:0");
    relay.stop();
    expect(backoffMs(1)).toBe(500);
    expect(backoffMs(10)).toBe(10_000);
  });

  it("stops on a refused token", () => {
    const { relay, states } = client();
    relay.start();
    FakeSocket.instances[0]!.drop(1008, "unauthorized: missing or wrong token");
    vi.advanceTimersByTime(60_000);
    expect(states.at(-1)).toBe("unauthorized:0");
    expect(FakeSocket.instances).toHaveLength(1);
  });
});
