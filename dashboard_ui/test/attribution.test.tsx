import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { AttributionBars } from "@/components/Signals";
import type { Signal } from "@/lib/state";
import { golden } from "./golden";

afterEach(cleanup);

describe("AttributionBars", () => {
  it("shows signed attributions sorted by magnitude with feature values", () => {
    const signal = golden("Signal").message as Signal;
    render(<AttributionBars attributions={signal.explanation.attributions} label="SHAP attributions" />);
    const list = screen.getByRole("list", { name: "SHAP attributions" });
    const rows = within(list).getAllByRole("listitem");
    expect(rows).toHaveLength(signal.explanation.attributions.length);
    expect(rows[0]?.textContent).toContain("log_ret_1");
    expect(rows[0]?.textContent).toContain("+0.0712");
    expect(rows[2]?.textContent).toContain("close_pos_in_range");
    const negative = rows.find((row) => row.textContent?.includes("macd_hist_pct"));
    expect(negative?.textContent).toContain("-0.0281");
    expect(negative?.textContent).toContain("= -0.07201");
  });
});
