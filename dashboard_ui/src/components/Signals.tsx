"use client";
import { useState } from "react";
import { apiGet, describeError } from "@/lib/api";
import type { Signal } from "@/lib/state";
import { type StepExplanation, stepsOf } from "@/lib/steps";
import { SignedBar } from "@/components/SignedBar";
import { StepBars } from "@/components/Steps";
import type { Explanation, FeatureAttribution } from "@/types/envelope";
import { Empty, Note, buttonClass, directionClass, pct, short, signed, tableClass, tdClass, thClass, time } from "@/components/ui";

export function SignalTable({ signals, selected, onSelect }: { signals: readonly Signal[]; selected: string | null; onSelect(id: string): void }) {
  if (signals.length === 0) return <Empty>No signals yet: model_engine publishes one per bar close once a model is served.</Empty>;
  return (
    <div className="max-h-80 overflow-auto">
      <table className={tableClass} data-testid="signal-table">
        <thead>
          <tr>
            <th className={thClass}>time (UTC)</th>
            <th className={thClass}>symbol</th>
            <th className={thClass}>direction</th>
            <th className={thClass}>confidence</th>
            <th className={thClass}>
              <span className="sr-only">details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {signals.slice(0, 200).map((s) => (
            <tr key={s.signal_id} className={s.signal_id === selected ? "bg-blue-50 dark:bg-slate-800" : undefined}>
              <td className={tdClass}>{short(s.ts_event)}</td>
              <td className={tdClass}>{s.symbol}</td>
              <td className={`${tdClass} ${directionClass(s.direction)}`}>
                {s.direction}
                {s.ood_flag ? " ⚠" : ""}
              </td>
              <td className={tdClass}>{pct(s.confidence)}</td>
              <td className={tdClass}>
                <button type="button" className={buttonClass} onClick={() => onSelect(s.signal_id)} aria-label={`Explain ${s.symbol} ${s.direction} signal at ${short(s.ts_event)}`}>
                  Explain
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Signed attribution bars, sorted by magnitude, with each feature's value. */
export function AttributionBars({ attributions, label }: { attributions: readonly FeatureAttribution[]; label: string }) {
  const sorted = [...attributions].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
  const max = Math.max(1e-12, ...sorted.map((a) => Math.abs(a.attribution)));
  return (
    <ul aria-label={label} className="space-y-0.5 text-xs" data-testid="attribution-bars">
      {sorted.map((a) => {
        const share = Math.abs(a.attribution) / max;
        const positive = a.attribution >= 0;
        return (
          <li key={a.feature} className="grid grid-cols-[minmax(0,9rem)_1fr_4.5rem] items-center gap-2" data-testid="attribution-bar">
            <span className="truncate" title={`${a.feature} = ${a.value ?? "n/a"}`}>
              {a.feature} <span className="text-slate-600 dark:text-slate-400">= {a.value === null || a.value === undefined ? "n/a" : Number(a.value.toPrecision(4))}</span>
            </span>
            <SignedBar positive={positive} share={share} />
            <span className={`tabular text-right ${positive ? "text-emerald-700 dark:text-emerald-400" : "text-red-700 dark:text-red-400"}`}>{signed(a.attribution)}</span>
          </li>
        );
      })}
    </ul>
  );
}

function ExplanationView({ explanation, title }: { explanation: Explanation; title: string }) {
  return (
    <div className="space-y-2">
      <dl className="tabular grid grid-cols-2 gap-x-3 gap-y-0.5 text-xs sm:grid-cols-4">
        <dt className="text-slate-600 dark:text-slate-400">method</dt>
        <dd>{explanation.method}</dd>
        <dt className="text-slate-600 dark:text-slate-400">output</dt>
        <dd>{explanation.output_space}</dd>
        <dt className="text-slate-600 dark:text-slate-400">base value</dt>
        <dd data-testid="base-value">{explanation.base_value.toFixed(4)}</dd>
        <dt className="text-slate-600 dark:text-slate-400">output value</dt>
        <dd>{explanation.output_value.toFixed(4)}</dd>
        <dt className="text-slate-600 dark:text-slate-400">additivity error</dt>
        <dd data-testid="additivity-error">{explanation.additivity_error === null || explanation.additivity_error === undefined ? "n/a" : explanation.additivity_error.toExponential(2)}</dd>
      </dl>
      <AttributionBars attributions={explanation.attributions} label={title} />
    </div>
  );
}

function explanationOf(body: unknown): Explanation | null {
  if (!body || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  const candidate = (record.explanation ?? record) as Record<string, unknown>;
  return Array.isArray(candidate.attributions) ? (candidate as unknown as Explanation) : null;
}

export function SignalDetail({ signal, token, onClose }: { signal: Signal | null; token: string; onClose(): void }) {
  const [lime, setLime] = useState<{ id: string; state: "loading" | "done" | "error"; explanation?: Explanation; error?: string } | null>(null);
  const [steps, setSteps] = useState<{ id: string; state: "loading" | "done" | "error"; explanation?: StepExplanation; error?: string } | null>(null);
  if (!signal) return <Empty>Pick a signal&apos;s Explain button to see its attributions.</Empty>;
  const limeHere = lime?.id === signal.signal_id ? lime : null;
  const stepsHere = steps?.id === signal.signal_id ? steps : null;

  const toggleSteps = async () => {
    const id = signal.signal_id;
    if (stepsHere?.state === "done") return setSteps(null);
    setSteps({ id, state: "loading" });
    try {
      const explanation = stepsOf(await apiGet(`/api/signals/${encodeURIComponent(id)}/explanation?detail=steps`, token));
      setSteps(explanation ? { id, state: "done", explanation } : { id, state: "error", error: "the answer has no time steps" });
    } catch (error) {
      setSteps({ id, state: "error", error: describeError(error) });
    }
  };

  const loadLime = async () => {
    const id = signal.signal_id;
    setLime({ id, state: "loading" });
    try {
      const body = await apiGet(`/api/signals/${encodeURIComponent(id)}/explanation?method=lime`, token);
      const explanation = explanationOf(body);
      setLime(explanation ? { id, state: "done", explanation } : { id, state: "error", error: "the answer has no attributions" });
    } catch (error) {
      setLime({ id, state: "error", error: describeError(error) });
    }
  };

  const p = signal.probabilities;
  return (
    <div className="space-y-3" data-testid="signal-detail">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1 text-sm">
        <strong>{signal.symbol}</strong>
        <span className={directionClass(signal.direction)}>{signal.direction}</span>
        <span>confidence {pct(signal.confidence)}</span>
        <span className="text-slate-600 dark:text-slate-400">{time(signal.ts_event)}</span>
        <button type="button" className={buttonClass} onClick={onClose} aria-label="Close signal detail">
          Close
        </button>
      </div>
      <dl className="tabular grid grid-cols-2 gap-x-3 gap-y-0.5 text-xs sm:grid-cols-4">
        <dt className="text-slate-600 dark:text-slate-400">model</dt>
        <dd data-testid="model-version">
          {signal.model.name} {signal.model.version}
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">p(up/flat/down)</dt>
        <dd>
          {pct(p.up)} / {pct(p.flat)} / {pct(p.down)}
        </dd>
        <dt className="text-slate-600 dark:text-slate-400">horizon</dt>
        <dd>{signal.horizon_bars} bars</dd>
        <dt className="text-slate-600 dark:text-slate-400">out of distribution</dt>
        <dd data-testid="ood-flag" className={signal.ood_flag ? "font-semibold text-red-700 dark:text-red-400" : undefined}>
          {signal.ood_flag ? "yes" : "no"} ({signal.ood_score === null || signal.ood_score === undefined ? "n/a" : signal.ood_score.toFixed(2)})
        </dd>
      </dl>
      <h3 className="text-xs font-semibold uppercase">SHAP attributions</h3>
      <ExplanationView explanation={signal.explanation} title={`SHAP attributions of the ${signal.symbol} signal`} />
      <div className="space-y-2">
        <button type="button" className={buttonClass} onClick={toggleSteps} disabled={stepsHere?.state === "loading"} aria-pressed={stepsHere?.state === "done"}>
          {stepsHere?.state === "loading" ? "Computing per time step…" : "Per time step"}
        </button>
        {stepsHere?.state === "error" && <Note error>Per time step: {stepsHere.error}</Note>}
        {stepsHere?.state === "done" && stepsHere.explanation && (
          <>
            <h3 className="text-xs font-semibold uppercase">SHAP per time step</h3>
            <StepBars explanation={stepsHere.explanation} label={`SHAP per time step of the ${signal.symbol} signal`} />
          </>
        )}
      </div>
      <div className="space-y-2">
        <button type="button" className={buttonClass} onClick={loadLime} disabled={limeHere?.state === "loading"}>
          {limeHere?.state === "loading" ? "Computing LIME…" : "Show LIME explanation"}
        </button>
        {limeHere?.state === "error" && <Note error>LIME: {limeHere.error}</Note>}
        {limeHere?.state === "done" && limeHere.explanation && (
          <>
            <h3 className="text-xs font-semibold uppercase">LIME attributions</h3>
            <ExplanationView explanation={limeHere.explanation} title={`LIME attributions of the ${signal.symbol} signal`} />
          </>
        )}
      </div>
    </div>
  );
}
