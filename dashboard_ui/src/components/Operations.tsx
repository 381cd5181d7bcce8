"use client";
import { useId, useMemo, useState } from "react";
import { apiPost, describeError } from "@/lib/api";
import type { MessageOf } from "@/lib/decode";
import type { Approval, KillSwitchChanged, LogLine, OrderFilled, PositionChanged, RiskEvent } from "@/lib/state";
import {
  Empty,
  Note,
  buttonClass,
  dangerClass,
  directionClass,
  inputClass,
  pct,
  primaryClass,
  short,
  signed,
  tableClass,
  tdClass,
  thClass,
} from "@/components/ui";

type Sent = Record<string, { state: "sending" | "sent" | "error"; text: string }>;

export function ApprovalsQueue({ approvals, token }: { approvals: Record<string, Approval>; token: string }) {
  const [sent, setSent] = useState<Sent>({});
  const list = Object.values(approvals).sort((a, b) => Date.parse(b.request.ts_event) - Date.parse(a.request.ts_event));
  const pending = list.filter((a) => a.decided === null);
  const decided = list.filter((a) => a.decided !== null).slice(0, 20);

  const decide = async (id: string, approved: boolean) => {
    setSent((s) => ({ ...s, [id]: { state: "sending", text: approved ? "approving…" : "rejecting…" } }));
    try {
      await apiPost(`/api/approvals/${encodeURIComponent(id)}`, token, { approved, reason: approved ? "approved from the dashboard" : "rejected from the dashboard" });
      setSent((s) => ({ ...s, [id]: { state: "sent", text: approved ? "approved; waiting for the order" : "rejected" } }));
    } catch (error) {
      setSent((s) => ({ ...s, [id]: { state: "error", text: describeError(error) } }));
    }
  };

  return (
    <div className="space-y-2">
      {pending.length === 0 ? (
        <Empty>No trade waits for approval. exec_core asks here when a signal passes the risk gate in manual mode.</Empty>
      ) : (
        <ul className="space-y-2" data-testid="approvals-pending">
          {pending.map(({ request: r }) => {
            const status = sent[r.approval_id];
            return (
              <li key={r.approval_id} className="rounded border border-amber-500/60 p-2 text-sm" data-testid="approval">
                <div className="flex flex-wrap items-baseline gap-x-3">
                  <strong>{r.symbol}</strong>
                  <span className={directionClass(r.side)}>
                    {r.side} {r.quantity}
                  </span>
                  <span>@ {r.price ?? "market"}</span>
                  <span>conf {pct(r.confidence)}</span>
                  <span className="text-slate-600 dark:text-slate-400">expires {short(r.expires_at)}</span>
                </div>
                <p className="mt-1 text-xs text-slate-600 dark:text-slate-400">
                  why: {r.top_attributions.map((a) => `${a.feature} ${signed(a.attribution, 3)}`).join(", ")}
                </p>
                <div className="mt-2 flex gap-2">
                  <button type="button" className={primaryClass} disabled={status?.state === "sending" || status?.state === "sent"} onClick={() => decide(r.approval_id, true)} aria-label={`Approve ${r.side} ${r.quantity} ${r.symbol}`}>
                    Approve
                  </button>
                  <button type="button" className={dangerClass} disabled={status?.state === "sending" || status?.state === "sent"} onClick={() => decide(r.approval_id, false)} aria-label={`Reject ${r.side} ${r.quantity} ${r.symbol}`}>
                    Reject
                  </button>
                </div>
                {status && <Note error={status.state === "error"}>{status.text}</Note>}
              </li>
            );
          })}
        </ul>
      )}
      {decided.length > 0 && (
        <details>
          <summary className="cursor-pointer text-sm">Decided ({decided.length})</summary>
          <ul className="text-xs">
            {decided.map(({ request: r, decided: d }) => (
              <li key={r.approval_id}>
                {short(r.ts_event)} {r.symbol} {r.side} {r.quantity}: {d?.approved ? "approved" : "rejected"} by {d?.decided_by} ({d?.channel})
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

export function PositionsTable({ positions, fills }: { positions: Record<string, PositionChanged>; fills: readonly OrderFilled[] }) {
  const rows = Object.values(positions);
  return (
    <div className="space-y-3">
      {rows.length === 0 ? (
        <Empty>No positions yet.</Empty>
      ) : (
        <div className="overflow-x-auto" role="region" aria-label="positions" tabIndex={0}>
          <table className={tableClass} data-testid="positions">
            <thead>
              <tr>
                <th className={thClass}>symbol</th>
                <th className={thClass}>quantity</th>
                <th className={thClass}>entry</th>
                <th className={thClass}>realized</th>
                <th className={thClass}>unrealized</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.symbol}>
                  <td className={tdClass}>{p.symbol}</td>
                  <td className={tdClass}>{p.quantity}</td>
                  <td className={tdClass}>{p.avg_entry_price ?? "—"}</td>
                  <td className={`${tdClass} ${Number(p.realized_pnl) >= 0 ? "" : "text-red-700 dark:text-red-400"}`}>{p.realized_pnl}</td>
                  <td className={`${tdClass} ${Number(p.unrealized_pnl) >= 0 ? "" : "text-red-700 dark:text-red-400"}`}>{p.unrealized_pnl}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="text-xs font-semibold uppercase">Fills</h3>
      {fills.length === 0 ? (
        <Empty>No fills yet.</Empty>
      ) : (
        <div className="max-h-48 overflow-auto" role="region" aria-label="fills" tabIndex={0}>
          <table className={tableClass} data-testid="fills">
            <thead>
              <tr>
                <th className={thClass}>time</th>
                <th className={thClass}>symbol</th>
                <th className={thClass}>side</th>
                <th className={thClass}>qty @ price</th>
                <th className={thClass}>slippage</th>
              </tr>
            </thead>
            <tbody>
              {fills.slice(0, 100).map((f) => (
                <tr key={`${f.client_order_id}-${f.trade_id ?? f.ts_event}-${f.cumulative_quantity}`}>
                  <td className={tdClass}>{short(f.ts_event)}</td>
                  <td className={tdClass}>{f.symbol}</td>
                  <td className={`${tdClass} ${directionClass(f.side)}`}>{f.side}</td>
                  <td className={tdClass}>
                    {f.last_quantity} @ {f.last_price}
                  </td>
                  <td className={tdClass}>{f.slippage_bps ?? "—"} bps</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

export function RiskPanel({ killSwitch, riskApi, riskError, events, token }: { killSwitch: KillSwitchChanged | null; riskApi: unknown; riskError: string | null; events: readonly RiskEvent[]; token: string }) {
  const [open, setOpen] = useState(false);
  const [operatorToken, setOperatorToken] = useState("");
  const [reason, setReason] = useState("");
  const [result, setResult] = useState<{ error: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const ids = useId();
  const engaged = killSwitch?.engaged ?? engagedFromApi(riskApi);
  const target = !(engaged ?? false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    setBusy(true);
    try {
      await apiPost("/api/kill", operatorToken || token, { engaged: target, reason: reason || (target ? "engaged from the dashboard" : "released from the dashboard") });
      setResult({ error: false, text: target ? "kill switch engaged" : "kill switch released" });
      setOpen(false);
    } catch (error) {
      setResult({ error: true, text: describeError(error) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="space-y-2 text-sm">
      <p>
        Kill switch:{" "}
        <strong data-testid="kill-state" className={engaged ? "text-red-700 dark:text-red-400" : engaged === false ? "text-emerald-700 dark:text-emerald-400" : ""}>
          {engaged === null ? "unknown" : engaged ? "ENGAGED (no new entries)" : "released"}
        </strong>
        {killSwitch && (
          <span className="text-slate-600 dark:text-slate-400">
            {" "}
            — {killSwitch.reason} ({killSwitch.changed_by} via {killSwitch.channel})
          </span>
        )}
      </p>
      {riskError && <Note>risk state: {riskError}</Note>}
      {!open ? (
        <button type="button" className={target ? dangerClass : primaryClass} onClick={() => { setOpen(true); setResult(null); }}>
          {target ? "Engage kill switch…" : "Release kill switch…"}
        </button>
      ) : (
        <form role="dialog" aria-modal="false" aria-labelledby={`${ids}-t`} onSubmit={submit} className="space-y-2 rounded border border-red-600/60 p-2">
          <p id={`${ids}-t`} className="font-semibold">
            {target ? "Engage the kill switch? New entries stop at once." : "Release the kill switch? New entries resume."}
          </p>
          <label className="block">
            Operator token{" "}
            <input className={inputClass} type="password" autoComplete="off" value={operatorToken} onChange={(e) => setOperatorToken(e.target.value)} placeholder="(the session token)" />
          </label>
          <label className="block">
            Reason{" "}
            <input className={inputClass} type="text" value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="flex gap-2">
            <button type="submit" className={dangerClass} disabled={busy}>
              {target ? "Confirm: engage" : "Confirm: release"}
            </button>
            <button type="button" className={buttonClass} onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {result && (
        <Note error={result.error}>
          <span data-testid="kill-result">{result.text}</span>
        </Note>
      )}
      {events.length > 0 && (
        <ul className="max-h-40 overflow-auto text-xs" aria-label="risk events" tabIndex={0}>
          {events.slice(0, 30).map((e, i) => (
            <li key={i}>
              {short(e.ts_event)}{" "}
              {e.type === "RiskLimitBreached"
                ? `limit ${e.limit} breached${e.halted ? " (halted)" : ""}: ${e.message}`
                : `decision ${e.symbol}${e.side ? ` ${e.side} ${e.quantity}` : ""}: ${e.accepted ? "accepted" : `refused (${refusedBy(e)})`}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** The rules that refused a decision, for its line in the risk events. */
export function refusedBy(decision: MessageOf<"RiskDecision">): string {
  const failed = decision.verdicts.filter((v) => !v.passed).map((v) => v.rule);
  return failed.length > 0 ? failed.join(", ") : "no rule named";
}

function engagedFromApi(body: unknown): boolean | null {
  if (!body || typeof body !== "object") return null;
  const record = body as Record<string, unknown>;
  const value = record.kill_switch ?? record.kill_switch_engaged ?? record.engaged;
  if (typeof value === "boolean") return value;
  if (value && typeof value === "object" && typeof (value as Record<string, unknown>).engaged === "boolean") {
    return (value as { engaged: boolean }).engaged;
  }
  return null;
}

const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];

export function LogStream({ logs }: { logs: readonly LogLine[] }) {
  const [service, setService] = useState("");
  const [level, setLevel] = useState("DEBUG");
  const [text, setText] = useState("");
  const services = useMemo(() => [...new Set(logs.map((l) => l.service))].sort(), [logs]);
  const minLevel = LEVELS.indexOf(level);
  const needle = text.toLowerCase();
  const shown = logs
    .filter((l) => (!service || l.service === service) && LEVELS.indexOf(l.level) >= minLevel && (!needle || l.text.toLowerCase().includes(needle)))
    .slice(-300)
    .reverse();
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap gap-2 text-sm">
        <label>
          Service{" "}
          <select className={inputClass} value={service} onChange={(e) => setService(e.target.value)}>
            <option value="">all</option>
            {services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Level ≥{" "}
          <select className={inputClass} value={level} onChange={(e) => setLevel(e.target.value)}>
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label>
          Search <input className={inputClass} type="search" value={text} onChange={(e) => setText(e.target.value)} />
        </label>
      </div>
      {shown.length === 0 ? (
        <Empty>No log lines{logs.length > 0 ? " match the filter" : " yet"}.</Empty>
      ) : (
        <ol className="max-h-72 overflow-auto font-mono text-xs" aria-label="log lines" data-testid="log-lines" tabIndex={0}>
          {shown.map((l) => (
            <li key={l.id} className="break-words">
              <span className="text-slate-600 dark:text-slate-400">{short(l.ts)}</span> <span className={l.level === "ERROR" || l.level === "CRITICAL" ? "text-red-700 dark:text-red-400" : l.level === "WARNING" ? "text-amber-700 dark:text-amber-400" : ""}>{l.level}</span> {l.service}: {l.text}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
