import { cleanup, fireEvent, render, screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SignalDetail } from "@/components/Signals";
import { StepBars } from "@/components/Steps";
import type { Signal } from "@/lib/state";
import { stepsOf } from "@/lib/steps";
import { golden } from "./golden";
// A real answer of ?detail=steps (tiny artifact, real BTC/USDT rows); tests/unit checks its schema.
import answer from "./steps.json";

afterEach(cleanup);

describe("StepBars", () => {
  it("shows each time step's signed attribution, newest bar first, with its standard error", () => {
    const explanation = stepsOf(answer);
    expect(explanation).not.toBeNull();
    if (!explanation) return;
    render(<StepBars explanation={explanation} label="per step" />);
    const rows = within(screen.getByRole("list", { name: "per step" })).getAllByRole("listitem");
    expect(rows).toHaveLength(answer.steps.length);
    const newest = answer.steps.find((s) => s.lag === 0);
    if (!newest) throw new Error("no step at lag 0");
    expect(rows[0]?.textContent).toContain("signal bar");
    expect(rows[0]?.textContent).toContain(`${newest.attribution >= 0 ? "+" : ""}${newest.attribution.toFixed(5)}`);
    expect(rows[1]?.textContent).toContain("1 bar before");
    expect(rows.at(-1)?.textContent).toContain(`${answer.steps.length - 1} bars before`);
    expect(rows[0]?.textContent).toContain(`±${newest.stderr?.toExponential(1)}`);
    expect(screen.getByTestId("steps-additivity-error").textContent).toBe(answer.additivity_error.toExponential(2));
  });

  it("is not built from a body without time steps", () => {
    expect(stepsOf({ method: "lime-feature-masks", attributions: [] })).toBeNull();
  });
});

describe("SignalDetail per time step toggle", () => {
  const signal = golden("Signal").message as Signal;
  let fetchMock: ReturnType<typeof vi.fn>;

  beforeEach(() => {
    fetchMock = vi.fn(() => Promise.resolve(new Response(JSON.stringify(answer), { status: 200, headers: { "Content-Type": "application/json" } })));
    vi.stubGlobal("fetch", fetchMock);
  });

  afterEach(() => vi.unstubAllGlobals());

  it("fetches ?detail=steps with the token, shows the steps, and hides them again", async () => {
    render(<SignalDetail signal={signal} token="t0ken" onClose={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Per time step" }));
    const list = await screen.findByRole("list", { name: `SHAP per time step of the ${signal.symbol} signal` });
    expect(within(list).getAllByRole("listitem")).toHaveLength(answer.steps.length);
    const [url, init] = fetchMock.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`/api/signals/${encodeURIComponent(signal.signal_id)}/explanation?detail=steps`);
    expect(init.headers).toEqual({ Authorization: "Bearer t0ken" });
    fireEvent.click(screen.getByRole("button", { name: "Per time step" }));
    expect(screen.queryByRole("list", { name: `SHAP per time step of the ${signal.symbol} signal` })).toBeNull();
  });

  it("says why when the steps cannot be computed", async () => {
    fetchMock.mockImplementation(() => Promise.resolve(new Response(JSON.stringify({ detail: "no_window: the signal's input window was not stored" }), { status: 409 })));
    render(<SignalDetail signal={signal} token="t0ken" onClose={() => {}} />);
    fireEvent.click(screen.getByRole("button", { name: "Per time step" }));
    expect((await screen.findByRole("alert")).textContent).toContain("error 409");
  });
});
