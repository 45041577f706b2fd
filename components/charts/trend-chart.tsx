"use client";

import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { valueDomain, valueTicks, type TrendChartPoint } from "./value-domain";

export type { TrendChartPoint } from "./value-domain";

function shortDay(day: string): string {
  return day.slice(5);
}

function formatValue(value: unknown): string {
  return typeof value === "number" ? value.toFixed(1) : "no data";
}

/** One series on a 0–100 axis: its name is the chart's title, so there is no legend to look up. */
export function TrendChart({
  points,
  label,
  height = 260,
  color = "#0f172a",
}: {
  points: TrendChartPoint[];
  label: string;
  height?: number;
  color?: string;
}) {
  return (
    <div role="img" aria-label={label} style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="day" tickFormatter={shortDay} tick={{ fontSize: 11, fill: "#475569" }} minTickGap={24} />
          <YAxis
            domain={valueDomain(points)}
            ticks={valueTicks(valueDomain(points))}
            tick={{ fontSize: 11, fill: "#475569" }}
          />
          <Tooltip formatter={(value) => [formatValue(value), label]} labelFormatter={(day) => String(day)} />
          <Line
            type="monotone"
            dataKey="value"
            stroke={color}
            strokeWidth={2}
            dot={points.length <= 10}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
