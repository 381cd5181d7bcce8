"use client";
// lightweight-charts (Apache-2.0, TradingView): its attribution logo stays on (see NOTICE).
import {
  CandlestickSeries,
  ColorType,
  LineSeries,
  createChart,
  createSeriesMarkers,
  type IChartApi,
  type ISeriesApi,
  type ISeriesMarkersPluginApi,
  type SeriesMarker,
  type Time,
  type UTCTimestamp,
} from "lightweight-charts";
import { useEffect, useRef } from "react";
import { epochSecs } from "@/lib/decode";
import type { Bar, ChartMarker } from "@/lib/state";
import type { Theme } from "@/lib/stores";

const UP = "#10b981";
const DOWN = "#ef4444";

function themeOptions(theme: Theme) {
  const dark = theme === "dark";
  return {
    layout: {
      background: { type: ColorType.Solid, color: dark ? "#020617" : "#ffffff" },
      textColor: dark ? "#cbd5e1" : "#334155",
    },
    grid: {
      vertLines: { color: dark ? "#1e293b" : "#e2e8f0" },
      horzLines: { color: dark ? "#1e293b" : "#e2e8f0" },
    },
  };
}

function toMarker(marker: ChartMarker): SeriesMarker<Time> {
  const time = marker.time as UTCTimestamp;
  if (marker.kind === "fill") {
    return { time, position: "inBar", shape: "circle", color: "#3b82f6", text: marker.text };
  }
  if (marker.direction === "up") return { time, position: "belowBar", shape: "arrowUp", color: UP, text: marker.text };
  if (marker.direction === "down") return { time, position: "aboveBar", shape: "arrowDown", color: DOWN, text: marker.text };
  return { time, position: "aboveBar", shape: "square", color: "#94a3b8", text: marker.text };
}

export function CandleChart({ bars, markers, theme, label }: { bars: readonly Bar[]; markers: readonly ChartMarker[]; theme: Theme; label: string }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const markerApi = useRef<ISeriesMarkersPluginApi<Time> | null>(null);
  const fitted = useRef(false);

  useEffect(() => {
    if (!host.current) return;
    const created = createChart(host.current, { autoSize: true, timeScale: { timeVisible: true, secondsVisible: false } });
    const candles = created.addSeries(CandlestickSeries, { upColor: UP, downColor: DOWN, wickUpColor: UP, wickDownColor: DOWN, borderVisible: false });
    chart.current = created;
    series.current = candles;
    markerApi.current = createSeriesMarkers(candles, []);
    return () => {
      created.remove();
      chart.current = series.current = markerApi.current = null;
      fitted.current = false;
    };
  }, []);

  useEffect(() => {
    chart.current?.applyOptions(themeOptions(theme));
  }, [theme]);

  useEffect(() => {
    fitted.current = false;
  }, [label]);

  useEffect(() => {
    if (!series.current) return;
    series.current.setData(
      bars.map((bar) => ({
        time: epochSecs(bar.ts_open) as UTCTimestamp,
        open: Number(bar.open),
        high: Number(bar.high),
        low: Number(bar.low),
        close: Number(bar.close),
      })),
    );
    markerApi.current?.setMarkers(markers.map(toMarker));
    if (!fitted.current && bars.length > 0) {
      chart.current?.timeScale().fitContent();
      fitted.current = true;
    }
  }, [bars, markers]);

  // A figure, not role="img": the chart holds TradingView's attribution link, which must stay reachable.
  return (
    <figure aria-label={`${label} candlestick chart`} className="m-0">
      <div ref={host} data-testid="candle-chart" className="h-80 w-full" />
    </figure>
  );
}

export function PnlChart({ points, theme }: { points: readonly { time: number; equity: number; drawdown: number }[]; theme: Theme }) {
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const equity = useRef<ISeriesApi<"Line"> | null>(null);
  const drawdown = useRef<ISeriesApi<"Line"> | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const created = createChart(host.current, { autoSize: true, timeScale: { timeVisible: true } });
    equity.current = created.addSeries(LineSeries, { color: "#3b82f6", lineWidth: 2, title: "equity" });
    drawdown.current = created.addSeries(LineSeries, { color: DOWN, lineWidth: 1, title: "drawdown %" }, 1);
    chart.current = created;
    return () => {
      created.remove();
      chart.current = equity.current = drawdown.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.applyOptions(themeOptions(theme));
  }, [theme]);

  useEffect(() => {
    equity.current?.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.equity })));
    drawdown.current?.setData(points.map((p) => ({ time: p.time as UTCTimestamp, value: p.drawdown })));
    chart.current?.timeScale().fitContent();
  }, [points]);

  return (
    <figure aria-label="equity and drawdown chart" className="m-0">
      <div ref={host} data-testid="pnl-chart" className="h-56 w-full" />
    </figure>
  );
}
