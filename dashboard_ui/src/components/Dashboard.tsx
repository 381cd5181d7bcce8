"use client";
import { useCallback, useEffect, useMemo, useReducer, useState } from "react";
import { CandleChart, PnlChart } from "@/components/Charts";
import { ConnectionBadge, ThemeToggle, TokenForm } from "@/components/Header";
import { ModelsView } from "@/components/Models";
import { ApprovalsQueue, LogStream, PositionsTable, RiskPanel } from "@/components/Operations";
import { SignalDetail, SignalTable } from "@/components/Signals";
import { Empty, Note, Panel, buttonClass, inputClass, short } from "@/components/ui";
import { apiGet, describeError, relayUrl } from "@/lib/api";
import { checkMessage, messagesOf } from "@/lib/decode";
import { RelayClient } from "@/lib/relay";
import { type Signal, initialState, markersFor, pnlSeries, reducer } from "@/lib/state";
import { useTheme, useToken } from "@/lib/stores";

type Loaded = { body?: unknown; error?: string };

export function Dashboard() {
  const [token, setToken] = useToken();
  const [theme, setTheme] = useTheme();
  const [refused, setRefused] = useState(false);

  return (
    <div className="mx-auto max-w-[1600px]">
      <header className="flex flex-wrap items-center gap-2 border-b border-slate-300 px-3 py-2 dark:border-slate-700">
        <h1 className="mr-auto text-base font-semibold">NeuroTradeX</h1>
        <ThemeToggle theme={theme} onChange={setTheme} />
        {token && (
          <button type="button" className={buttonClass} onClick={() => setToken(null)}>
            Sign out
          </button>
        )}
      </header>
      {token ? (
        <Live
          key={token}
          token={token}
          theme={theme}
          onRefused={() => {
            setRefused(true);
            setToken(null);
          }}
        />
      ) : (
        <main>
          <TokenForm
            refused={refused}
            onToken={(t) => {
              setRefused(false);
              setToken(t);
            }}
          />
        </main>
      )}
      <footer className="px-3 py-4 text-xs text-slate-600 dark:text-slate-400">
        Charts: TradingView Lightweight Charts™ Copyright (c) 2025 TradingView, Inc.,{" "}
        <a className="underline" href="https://www.tradingview.com/" rel="noreferrer">
          https://www.tradingview.com/
        </a>{" "}
        (Apache-2.0). · <a className="underline" href="/api/health">/api/health</a> · <a className="underline" href="/openapi.json">/openapi.json</a>
      </footer>
    </div>
  );
}

function Live({ token, theme, onRefused }: { token: string; theme: "dark" | "light"; onRefused(): void }) {
  const [state, dispatch] = useReducer(reducer, initialState);
  const [symbol, setSymbol] = useState("BTC/USDT");
  const [selected, setSelected] = useState<string | null>(null);
  const [loaded, setLoaded] = useState<Record<string, Loaded>>({});
  const [barsError, setBarsError] = useState<Record<string, string>>({});

  const note = useCallback((key: string, value: Loaded) => setLoaded((prev) => ({ ...prev, [key]: value })), []);

  // Relay: subscribe, batch frames into the reducer, reconnect with backoff.
  useEffect(() => {
    const client = new RelayClient(relayUrl(), token, {
      onEnvelopes: (envelopes) => dispatch({ type: "envelopes", envelopes }),
      onRejected: (reason) => dispatch({ type: "rejected", reason }),
      onState: (connection, detail, attempt) => {
        dispatch({ type: "connection", state: connection, detail, attempt });
        if (connection === "unauthorized") onRefused();
      },
    });
    client.start();
    return () => client.stop();
  }, [token, onRefused]);

  // History over the HTTP API on open.
  useEffect(() => {
    const abort = new AbortController();
    const get = async (key: string, path: string, apply?: (body: unknown) => void) => {
      try {
        const body = await apiGet(path, token, abort.signal);
        apply?.(body);
        note(key, { body });
      } catch (error) {
        if (!abort.signal.aborted) note(key, { error: describeError(error) });
      }
    };
    void get("signals", "/api/signals", (body) => dispatch({ type: "history/signals", signals: messagesOf(body, "Signal") }));
    void get("positions", "/api/positions", (body) => dispatch({ type: "history/positions", positions: messagesOf(body, "PositionChanged") }));
    void get("orders", "/api/orders", (body) => dispatch({ type: "history/fills", fills: messagesOf(body, "OrderFilled") }));
    void get("portfolio", "/api/portfolio", (body) => {
      const single = checkMessage(body);
      const snapshots = single.ok && single.message.type === "PortfolioSnapshot" ? [single.message] : messagesOf(body, "PortfolioSnapshot");
      dispatch({ type: "history/portfolio", snapshots });
    });
    void get("approvals", "/api/approvals", (body) => dispatch({ type: "history/approvals", approvals: messagesOf(body, "ApprovalRequested") }));
    void get("risk", "/api/risk");
    void get("models", "/api/models");
    const health = async () => {
      try {
        const response = await fetch("/api/health", { signal: abort.signal, cache: "no-store" });
        note("health", { body: await response.json() });
      } catch (error) {
        if (!abort.signal.aborted) note("health", { error: describeError(error) });
      }
    };
    void health();
    const timer = setInterval(() => void health(), 10_000);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [token, note]);

  // Bars of the shown symbol (once per symbol; the relay keeps them current).
  const haveBars = (state.bars[symbol]?.length ?? 0) > 0;
  useEffect(() => {
    if (haveBars) return;
    const abort = new AbortController();
    apiGet(`/api/bars?symbol=${encodeURIComponent(symbol)}&limit=500`, token, abort.signal)
      .then((body) => {
        dispatch({ type: "history/bars", symbol, bars: messagesOf(body, "Bar") });
        setBarsError((prev) => ({ ...prev, [symbol]: "" }));
      })
      .catch((error: unknown) => {
        if (!abort.signal.aborted) setBarsError((prev) => ({ ...prev, [symbol]: describeError(error) }));
      });
    return () => abort.abort();
  }, [symbol, token, haveBars]);

  // A selected signal missing from the list is fetched.
  const selectedSignal = selected ? (state.signals.find((s) => s.signal_id === selected) ?? null) : null;
  useEffect(() => {
    if (!selected || selectedSignal) return;
    apiGet(`/api/signals/${encodeURIComponent(selected)}`, token)
      .then((body) => {
        const found = messagesOf([body], "Signal")[0];
        if (found) dispatch({ type: "history/signal", signal: found as Signal });
      })
      .catch(() => undefined);
  }, [selected, selectedSignal, token]);

  const bars = useMemo(() => state.bars[symbol] ?? [], [state.bars, symbol]);
  const markers = useMemo(() => markersFor(bars, state.signals, state.fills, symbol), [bars, state.signals, state.fills, symbol]);
  const pnl = useMemo(() => pnlSeries(state.portfolio), [state.portfolio]);
  const lastBar = bars[bars.length - 1];
  const latest = state.portfolio[state.portfolio.length - 1];
  const health = loaded.health?.body as { status?: string; services?: Record<string, { status?: string }> } | undefined;

  return (
    <main className="space-y-3 p-3">
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <ConnectionBadge {...state.connection} />
        <span className="text-slate-600 dark:text-slate-400" data-testid="received">
          {state.received} messages
          {Object.values(state.rejected).some(Boolean) ? `, ${Object.values(state.rejected).reduce((a, b) => a + (b ?? 0), 0)} rejected` : ""}
        </span>
        {state.connection.detail && <span className="text-slate-600 dark:text-slate-400">{state.connection.detail}</span>}
      </div>
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
        <Panel
          id="chart"
          title="Market"
          wide
          actions={
            <label className="text-sm">
              Symbol{" "}
              <select className={inputClass} value={symbol} onChange={(e) => setSymbol(e.target.value)}>
                {state.symbols.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          }
        >
          {barsError[symbol] && <Note error>bars: {barsError[symbol]}</Note>}
          {!haveBars && !barsError[symbol] && <Empty>Waiting for {symbol} bars…</Empty>}
          <CandleChart bars={bars} markers={markers} theme={theme} label={symbol} />
          {lastBar && (
            <p className="tabular mt-1 text-xs text-slate-600 dark:text-slate-400" data-testid="last-bar">
              last close {lastBar.close} at {short(lastBar.ts_event)} · {bars.length} bars · ▲▼ signals, ● fills
            </p>
          )}
        </Panel>
        <Panel id="signals" title="Signals">
          {loaded.signals?.error && state.signals.length === 0 && <Note>history: {loaded.signals.error}</Note>}
          <SignalTable signals={state.signals} selected={selected} onSelect={setSelected} />
        </Panel>
        <Panel id="signal-detail" title="Signal explanation">
          <SignalDetail signal={selectedSignal} token={token} onClose={() => setSelected(null)} />
        </Panel>
        <Panel id="approvals" title="Approvals">
          {loaded.approvals?.error && <Note>pending approvals: {loaded.approvals.error}</Note>}
          <ApprovalsQueue approvals={state.approvals} token={token} />
        </Panel>
        <Panel id="risk" title="Risk">
          <RiskPanel killSwitch={state.killSwitch} riskApi={loaded.risk?.body} riskError={loaded.risk?.error ?? null} events={state.riskEvents} token={token} />
        </Panel>
        <Panel id="portfolio" title="Positions and PnL" wide>
          {loaded.positions?.error && <Note>positions: {loaded.positions.error}</Note>}
          {latest ? (
            <p className="tabular text-sm" data-testid="portfolio-summary">
              equity {latest.equity} {latest.currency} · cash {latest.cash} · drawdown {latest.drawdown_pct}% · {latest.open_positions} open
            </p>
          ) : (
            <Empty>No portfolio snapshot yet{loaded.portfolio?.error ? ` (${loaded.portfolio.error})` : ""}.</Empty>
          )}
          {pnl.length > 0 && <PnlChart points={pnl} theme={theme} />}
          <PositionsTable positions={state.positions} fills={state.fills} />
        </Panel>
        <Panel id="logs" title="Live log">
          <LogStream logs={state.logs} />
        </Panel>
        <Panel id="models" title="Models">
          {loaded.models?.error ? <Note>models: {loaded.models.error}</Note> : <ModelsView body={loaded.models?.body} />}
        </Panel>
        <Panel id="services" title="Services" wide>
          <ul className="flex flex-wrap gap-2 text-xs" data-testid="services">
            {Object.entries(health?.services ?? {}).map(([name, h]) => {
              const beat = state.heartbeats[name];
              return (
                <li key={name} className="rounded border border-slate-300 px-2 py-1 dark:border-slate-700">
                  {name}: {h.status ?? "?"}
                  {beat ? ` · beat ${beat.seq}` : ""}
                </li>
              );
            })}
            {!health && <li>{loaded.health?.error ?? "checking…"}</li>}
          </ul>
        </Panel>
      </div>
    </main>
  );
}
