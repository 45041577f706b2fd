/** Prometheus text exposition format 0.0.4: families with HELP and TYPE, then their samples. */
export const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export type MetricType = "gauge" | "counter" | "histogram";
export type Labels = Record<string, string>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface HistogramSample {
  labels?: Labels;
  /** Cumulative counts by upper bound, ascending (the +Inf bucket is `count`). */
  buckets: [bound: number, count: number][];
  sum: number;
  count: number;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
}

function escapeHelp(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "+Inf";
  if (value === -Infinity) return "-Inf";
  return String(value);
}

function labelText(labels: Labels = {}): string {
  const pairs = Object.entries(labels).map(([name, value]) => `${name}="${escapeLabel(value)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** Builds one exposition; a family with no samples still says what it is. */
export class Exposition {
  private readonly lines: string[] = [];

  private header(name: string, type: MetricType, help: string): void {
    this.lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
  }

  add(name: string, type: "gauge" | "counter", help: string, samples: readonly Sample[]): this {
    this.header(name, type, help);
    for (const sample of samples) this.lines.push(`${name}${labelText(sample.labels)} ${formatValue(sample.value)}`);
    return this;
  }

  histogram(name: string, help: string, samples: readonly HistogramSample[]): this {
    this.header(name, "histogram", help);
    for (const sample of samples) {
      for (const [bound, count] of sample.buckets)
        this.lines.push(
          `${name}_bucket${labelText({ ...sample.labels, le: formatValue(bound) })} ${formatValue(count)}`,
        );
      this.lines.push(`${name}_bucket${labelText({ ...sample.labels, le: "+Inf" })} ${formatValue(sample.count)}`);
      this.lines.push(`${name}_sum${labelText(sample.labels)} ${formatValue(sample.sum)}`);
      this.lines.push(`${name}_count${labelText(sample.labels)} ${formatValue(sample.count)}`);
    }
    return this;
  }

  text(): string {
    return `${this.lines.join("\n")}\n`;
  }
}
