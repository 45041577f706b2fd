"use client";

import { Line, LineChart, ResponsiveContainer, Tooltip, YAxis } from "recharts";
import { valueDomain, type TrendChartPoint } from "./value-domain";

/** A small multiple: one check's compliance; the axis range is printed beside it by the page. */
export function SmallTrend({ points, label }: { points: TrendChartPoint[]; label: string }) {
  return (
    <div role="img" aria-label={label} className="h-16">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 4, right: 4, bottom: 4, left: 4 }}>
          <YAxis domain={valueDomain(points)} hide />
          <Tooltip
            formatter={(value) => [typeof value === "number" ? `${value.toFixed(1)}%` : "no data", "compliance"]}
            labelFormatter={(_, payload) => String(payload?.[0]?.payload?.day ?? "")}
          />
          <Line
            type="monotone"
            dataKey="value"
            stroke="#0369a1"
            strokeWidth={1.5}
            dot={false}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
