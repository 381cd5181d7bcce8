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
        return (
          <li key={`${name}-${version}`} className="text-sm">
            <p>
              <strong>{name}</strong> {version}
              {typeof m.symbol === "string" && <span className="text-slate-600 dark:text-slate-400"> · {m.symbol}</span>}
            </p>
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
