// The answer of GET /api/signals/{id}/explanation?detail=steps (model_engine's StepExplanation).

export interface StepAttribution {
  index: number; // row of the window, 0 = oldest
  lag: number; // bars before the signal's bar
  ts: string | null; // nominal bar close
  attribution: number;
  stderr: number | null;
}

export interface StepExplanation {
  signal_id: string;
  detail: "steps";
  method: string;
  players: string;
  output_space: string;
  base_value: number;
  output_value: number;
  steps: StepAttribution[];
  additivity_error: number;
  stored_gap: number;
  background_windows: number;
  pairs_per_background: number;
  model_windows: number;
  seed: number;
}

/** The body as a step explanation, or null when it is not one. */
export function stepsOf(body: unknown): StepExplanation | null {
  if (!body || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  return record.detail === "steps" && Array.isArray(record.steps) ? (record as unknown as StepExplanation) : null;
}
