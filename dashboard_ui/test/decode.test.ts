import { describe, expect, it } from "vitest";
import { TOPIC_OF_TYPE, decodeEnvelope, listOf, messagesOf, parseControl } from "@/lib/decode";
import { golden, goldenFrames } from "./golden";

describe("decodeEnvelope", () => {
  const frames = goldenFrames();

  it("decodes every golden envelope of the Python contract tests", () => {
    expect(Object.keys(frames).sort()).toEqual(Object.keys(TOPIC_OF_TYPE).sort());
    for (const [type, raw] of Object.entries(frames)) {
      const decoded = decodeEnvelope(raw);
      expect(decoded.ok, type).toBe(true);
      if (decoded.ok) {
        expect(decoded.envelope.message.type).toBe(type);
        expect(decoded.envelope.topic).toBe(TOPIC_OF_TYPE[decoded.envelope.message.type]);
      }
    }
  });

  it("keeps decimal strings exact", () => {
    const decoded = decodeEnvelope(frames.OrderFilled ?? "");
    expect(decoded.ok && decoded.envelope.message.type === "OrderFilled" && decoded.envelope.message.leaves_quantity).toBe("0.00850");
  });

  it.each([
    ["not json", "{", "malformed_json"],
    ["an array", "[]", "malformed_json"],
    ["another version", JSON.stringify({ ...golden("Bar"), schema_version: 2 }), "wrong_schema_version"],
    ["an unknown type", JSON.stringify({ ...golden("Bar"), message: { ...(golden("Bar").message as object), type: "Nope" } }), "unknown_type"],
    ["a wrong topic", JSON.stringify({ ...golden("Bar"), topic: "signal.emitted" }), "wrong_topic"],
    ["a missing field", JSON.stringify({ ...golden("Bar"), message: { ...(golden("Bar").message as object), close: undefined } }), "invalid_fields"],
  ])("rejects %s", (_name, raw, reason) => {
    const decoded = decodeEnvelope(raw);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.reason).toBe(reason);
  });

  it("tells relay control frames from envelopes", () => {
    expect(parseControl('{"op":"subscribed","topics":["*"]}')?.op).toBe("subscribed");
    expect(parseControl(frames.Bar ?? "")).toBeNull();
    expect(parseControl("nope")).toBeNull();
  });
});

describe("API bodies", () => {
  it("accepts bare messages, envelopes and wrapped lists", () => {
    const signal = golden("Signal");
    const bare = signal.message;
    expect(messagesOf([bare], "Signal")).toHaveLength(1);
    expect(messagesOf([signal], "Signal")).toHaveLength(1);
    expect(messagesOf({ signals: [bare, { type: "Bar" }] }, "Signal")).toHaveLength(1);
    expect(messagesOf({ detail: "Not Found" }, "Signal")).toEqual([]);
    expect(listOf({ items: [1, 2] })).toEqual([1, 2]);
  });
});
