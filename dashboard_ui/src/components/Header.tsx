"use client";
import { useId, useState } from "react";
import type { ConnectionState } from "@/lib/state";
import type { Theme } from "@/lib/stores";
import { buttonClass, inputClass, primaryClass } from "@/components/ui";

const LABEL: Record<ConnectionState, string> = {
  idle: "not connected",
  connecting: "connecting…",
  open: "live",
  reconnecting: "reconnecting",
  unauthorized: "token refused",
};

export function ConnectionBadge({ state, detail, attempt }: { state: ConnectionState; detail: string; attempt: number }) {
  const color =
    state === "open"
      ? "border-emerald-600 text-emerald-700 dark:text-emerald-400"
      : state === "unauthorized"
        ? "border-red-600 text-red-700 dark:text-red-400"
        : "border-amber-600 text-amber-700 dark:text-amber-400";
  return (
    <span role="status" aria-live="polite" data-testid="connection" data-state={state} title={detail} className={`rounded-full border px-2.5 py-0.5 text-xs ${color}`}>
      {LABEL[state]}
      {state === "reconnecting" && attempt > 0 ? ` (attempt ${attempt})` : ""}
    </span>
  );
}

export function ThemeToggle({ theme, onChange }: { theme: Theme; onChange(theme: Theme): void }) {
  const next = theme === "dark" ? "light" : "dark";
  return (
    <button type="button" className={buttonClass} onClick={() => onChange(next)} aria-label={`Switch to ${next} theme`} data-testid="theme-toggle">
      {theme === "dark" ? "☀ Light" : "☾ Dark"}
    </button>
  );
}

export function TokenForm({ onToken, refused }: { onToken(token: string): void; refused: boolean }) {
  const [value, setValue] = useState("");
  const id = useId();
  return (
    <form
      className="mx-auto mt-10 max-w-md space-y-3 rounded-lg border border-slate-300 p-4 dark:border-slate-700"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) onToken(value.trim());
      }}
    >
      <h2 className="font-semibold">Sign in</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Paste the read or operator token from <code>NTX_HOME/tokens.json</code>. It stays in this tab&apos;s session storage only.
      </p>
      {refused && (
        <p role="alert" className="text-sm text-red-700 dark:text-red-400">
          The gateway refused that token.
        </p>
      )}
      <label htmlFor={id} className="block text-sm">
        API token
      </label>
      <input id={id} className={`${inputClass} w-full`} type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
      <button type="submit" className={primaryClass}>
        Connect
      </button>
    </form>
  );
}
