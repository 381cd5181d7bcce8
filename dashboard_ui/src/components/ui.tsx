import type { ReactNode } from "react";

export function Panel({ id, title, children, actions, wide = false }: { id: string; title: string; children: ReactNode; actions?: ReactNode; wide?: boolean }) {
  return (
    <section
      aria-labelledby={`${id}-title`}
      id={id}
      className={`min-w-0 rounded-lg border border-slate-300 p-3 dark:border-slate-700 ${wide ? "lg:col-span-2" : ""}`}
    >
      <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
        <h2 id={`${id}-title`} className="text-sm font-semibold tracking-wide text-slate-700 uppercase dark:text-slate-300">
          {title}
        </h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="py-3 text-sm text-slate-600 dark:text-slate-400">{children}</p>;
}

export function Note({ error, children }: { error?: boolean; children: ReactNode }) {
  return (
    <p role={error ? "alert" : undefined} className={`py-1 text-sm ${error ? "text-red-700 dark:text-red-400" : "text-slate-600 dark:text-slate-400"}`}>
      {children}
    </p>
  );
}

export const buttonClass =
  "rounded-md border border-slate-400 px-2.5 py-1 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50 dark:border-slate-600 dark:hover:bg-slate-800";
export const primaryClass =
  "rounded-md bg-blue-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-blue-800 focus-visible:outline-2 focus-visible:outline-blue-600 disabled:opacity-50";
export const dangerClass =
  "rounded-md bg-red-700 px-2.5 py-1 text-sm font-medium text-white hover:bg-red-800 focus-visible:outline-2 focus-visible:outline-red-600 disabled:opacity-50";
export const inputClass =
  "rounded-md border border-slate-400 bg-white px-2 py-1 text-sm text-slate-900 dark:border-slate-600 dark:bg-slate-900 dark:text-slate-100";
export const tableClass = "tabular w-full border-collapse text-left text-sm";
export const thClass = "border-b border-slate-300 px-1.5 py-1 font-medium text-slate-600 dark:border-slate-700 dark:text-slate-400";
export const tdClass = "border-b border-slate-200 px-1.5 py-1 whitespace-nowrap dark:border-slate-800";

export const upClass = "text-emerald-700 dark:text-emerald-400";
export const downClass = "text-red-700 dark:text-red-400";

export function directionClass(direction: string): string {
  if (direction === "up" || direction === "buy") return upClass;
  if (direction === "down" || direction === "sell") return downClass;
  return "text-slate-600 dark:text-slate-400";
}

export const pct = (value: number, digits = 1) => `${(value * 100).toFixed(digits)}%`;
export const time = (iso: string) => iso.replace("T", " ").replace(/(\.\d+)?Z$/, "Z");
export const short = (iso: string) => iso.slice(5, 16).replace("T", " ");
export const signed = (value: number, digits = 4) => `${value >= 0 ? "+" : ""}${value.toFixed(digits)}`;
