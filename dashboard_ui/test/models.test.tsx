import { cleanup, render, screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { holdoutOf, ModelsView } from "@/components/Models";

afterEach(cleanup);

/** `/api/models` rows: the figures are in each manifest's `metrics` (holdout of `ntx train`). */
const served = [
  {
    name: "lstm-1h",
    version: "v0002",
    manifest: { metrics: { accuracy: 0.4123, majority_accuracy: 0.3551, log_loss: 1.0812, prior_log_loss: 1.099, n_windows: 12000 } },
  },
  // written before prior_log_loss existed
  { name: "lstm-old", version: "v0001", manifest: { metrics: { accuracy: 0.3744, majority_accuracy: 0.4052, log_loss: 1.0944 } } },
];

const cells = (table: HTMLElement, row: number) =>
  Array.from(within(table).getAllByRole("row")[row]?.querySelectorAll("td") ?? [], (td) => td.textContent);

describe("ModelsView holdout figures", () => {
  it("puts the model's accuracy and log loss beside the majority class's and the training prior's", () => {
    render(<ModelsView body={served} />);
    const table = screen.getByRole("table", { name: "lstm-1h holdout against the naive forecast" });
    expect(cells(table, 1)).toEqual(["accuracy vs the majority class", "0.412", "0.355", "beats it by 0.057"]);
    expect(cells(table, 2)).toEqual(["log loss vs the training prior (lower is better)", "1.081", "1.099", "beats it by 0.018"]);
  });

  it("shows a dash where an older artifact has no prior log loss, and says when the model loses", () => {
    render(<ModelsView body={served} />);
    const table = screen.getByRole("table", { name: "lstm-old holdout against the naive forecast" });
    expect(cells(table, 1)).toEqual(["accuracy vs the majority class", "0.374", "0.405", "does not beat it (-0.031)"]);
    expect(cells(table, 2)).toEqual(["log loss vs the training prior (lower is better)", "1.094", "–", "–"]);
  });

  it("reads the top-level fields of `ntx models --json` rows first", () => {
    const row = { accuracy: 0.5, majority_accuracy: 0.4, log_loss: 1.0, prior_log_loss: null, metrics: { prior_log_loss: 1.1 } };
    expect(holdoutOf(row)).toEqual({ accuracy: 0.5, majority_accuracy: 0.4, log_loss: 1.0, prior_log_loss: 1.1 });
    expect(holdoutOf({ name: "bench" })).toEqual({ accuracy: null, majority_accuracy: null, log_loss: null, prior_log_loss: null });
  });
});
