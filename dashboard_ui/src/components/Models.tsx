"use client";
import { listOf } from "@/lib/decode";
import { Empty, tableClass, tdClass, thClass } from "@/components/ui";

type Row = Record<string, unknown>;

const isRow = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

/** Numeric metrics of a model: `walk_forward`/`metrics` objects (one level of nesting, e.g. per fold summaries). */
export function metricsOf(model: Row): [string, number][] {
  const out: [string, number][] = [];
  const walk = (prefix: string, value: unknown, depth: number) => {
    if (typeof value === "number" && Number.isFinite(value)) out.push([prefix, value]);
    else if (isRow(value) && depth < 2) for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v, depth + 1);
  };
  for (const key of ["walk_forward", "metrics", "evaluation"]) {
    const manifest = isRow(model.manifest) ? model.manifest : {};
    walk("", model[key] ?? manifest[key], 0);
  }
  return out;
}

/** The holdout figures of a model: its own accuracy and log loss and the naive forecasts' (null: not in its manifest). */
export type Holdout = { accuracy: number | null; majority_accuracy: number | null; log_loss: number | null; prior_log_loss: number | null };

/** Top-level fields of a model row (`ntx models --json`), else its manifest's `metrics` (`/api/models`). */
export function holdoutOf(model: Row): Holdout {
  const manifest = isRow(model.manifest) ? model.manifest : {};
  const metrics = isRow(model.metrics) ? model.metrics : isRow(manifest.metrics) ? manifest.metrics : {};
  const figure = (key: keyof Holdout): number | null => {
    const value = model[key] ?? metrics[key];
    return typeof value === "number" && Number.isFinite(value) ? value : null;
  };
  return { accuracy: figure("accuracy"), majority_accuracy: figure("majority_accuracy"), log_loss: figure("log_loss"), prior_log_loss: figure("prior_log_loss") };
}

const fixed = (value: number | null) => (value === null ? "–" : value.toFixed(3));

/** Compares the model with the naive forecasts: higher accuracy is better, lower log loss is better. */
function verdict(model: number | null, naive: number | null, lowerIsBetter: boolean): string {
  if (model === null || naive === null) return "–";
  const gain = lowerIsBetter ? naive - model : model - naive;
  return gain > 0 ? `beats it by ${gain.toFixed(3)}` : `does not beat it (${gain.toFixed(3)})`;
}

export function HoldoutTable({ name, holdout }: { name: string; holdout: Holdout }) {
  const rows = [
    ["accuracy vs the majority class", holdout.accuracy, holdout.majority_accuracy, false],
    ["log loss vs the training prior (lower is better)", holdout.log_loss, holdout.prior_log_loss, true],
  ] as const;
  return (
    <div className="overflow-x-auto" role="region" aria-label={`${name} holdout`} tabIndex={0}>
      <table className={tableClass} aria-label={`${name} holdout against the naive forecast`}>
        <thead>
          <tr>
            <th className={thClass}>holdout</th>
            <th className={thClass}>model</th>
            <th className={thClass}>naive</th>
            <th className={thClass}>model vs naive</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([figure, model, naive, lowerIsBetter]) => (
            <tr key={figure}>
              <td className={tdClass}>{figure}</td>
              <td className={tdClass}>{fixed(model)}</td>
              <td className={tdClass}>{fixed(naive)}</td>
              <td className={tdClass}>{verdict(model, naive, lowerIsBetter)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ModelsView({ body }: { body: unknown }) {
  const models = listOf(body).filter(isRow);
  if (models.length === 0) return <Empty>No model is served yet.</Empty>;
  return (
    <ul className="space-y-3" data-testid="models">
      {models.map((m, i) => {
        const manifest = isRow(m.manifest) ? m.manifest : {};
        const name = String(m.name ?? manifest.name ?? `model ${i + 1}`);
        const version = String(m.version ?? manifest.version ?? "");
        const metrics = metricsOf(m);
        const holdout = holdoutOf(m);
        const hasHoldout = Object.values(holdout).some((v) => v !== null);
        return (
          <li key={`${name}-${version}`} className="text-sm">
            <p>
              <strong>{name}</strong> {version}
              {typeof m.symbol === "string" && <span className="text-slate-600 dark:text-slate-400"> · {m.symbol}</span>}
            </p>
            {hasHoldout && <HoldoutTable name={name} holdout={holdout} />}
            {metrics.length === 0 ? (
              <Empty>No walk-forward metrics in its manifest.</Empty>
            ) : (
              <table className={tableClass} aria-label={`${name} walk-forward metrics`}>
                <thead>
                  <tr>
                    <th className={thClass}>metric</th>
                    <th className={thClass}>value</th>
                  </tr>
                </thead>
                <tbody>
                  {metrics.slice(0, 40).map(([k, v]) => (
                    <tr key={k}>
                      <td className={tdClass}>{k}</td>
                      <td className={tdClass}>{Number(v.toPrecision(4))}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </li>
        );
      })}
    </ul>
  );
}
