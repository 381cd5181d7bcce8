import type { StepExplanation } from "@/lib/steps";
import { signed } from "@/components/ui";
import { SignedBar } from "@/components/SignedBar";

const dt = "text-slate-600 dark:text-slate-400";

/** Signed attribution of each time step, newest bar first, with its standard error. */
export function StepBars({ explanation, label }: { explanation: StepExplanation; label: string }) {
  const steps = [...explanation.steps].sort((a, b) => a.lag - b.lag);
  const max = Math.max(1e-12, ...steps.map((s) => Math.abs(s.attribution)));
  return (
    <div className="space-y-2">
      <dl className="tabular grid grid-cols-2 gap-x-3 gap-y-0.5 text-xs sm:grid-cols-4">
        <dt className={dt}>method</dt>
        <dd>{explanation.method}</dd>
        <dt className={dt}>output</dt>
        <dd>{explanation.output_space}</dd>
        <dt className={dt}>base value</dt>
        <dd>{explanation.base_value.toFixed(4)}</dd>
        <dt className={dt}>output value</dt>
        <dd>{explanation.output_value.toFixed(4)}</dd>
        <dt className={dt}>additivity error</dt>
        <dd data-testid="steps-additivity-error">{explanation.additivity_error.toExponential(2)}</dd>
      </dl>
      <ul aria-label={label} className="max-h-64 space-y-0.5 overflow-auto text-xs" data-testid="step-bars">
        {steps.map((s) => {
          const share = Math.abs(s.attribution) / max;
          const positive = s.attribution >= 0;
          return (
            <li key={s.index} className="grid grid-cols-[minmax(0,9rem)_1fr_7rem] items-center gap-2">
              <span className="truncate" title={s.ts ?? undefined}>
                {s.lag === 0 ? "signal bar" : `${s.lag} bar${s.lag === 1 ? "" : "s"} before`}
              </span>
              <SignedBar positive={positive} share={share} />
              <span className={`tabular text-right ${positive ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>
                {signed(s.attribution, 5)}
                {s.stderr === null ? "" : ` ±${s.stderr.toExponential(1)}`}
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
