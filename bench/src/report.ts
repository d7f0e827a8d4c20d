// The report: figures with their targets, the table printed at the end, and the one JSON object.
// Pure (no I/O), unit-tested.

export interface Target {
  /** at least (ratios) or below (latencies). */
  op: '>=' | '<';
  value: number;
}

export interface Figure {
  /** Key in the JSON output, e.g. lifecycleRatio. */
  key: string;
  /** What it measures, for the table. */
  label: string;
  /** null: not measured in this run (the note says why). */
  value: number | null;
  unit?: string;
  target?: Target;
  note?: string;
}

export type Verdict = 'pass' | 'miss' | 'n/a' | '—';

export function verdictOf(figure: Figure): Verdict {
  if (!figure.target) return '—';
  if (figure.value === null || !Number.isFinite(figure.value)) return 'n/a';
  const { op, value } = figure.target;
  return (op === '>=' ? figure.value >= value : figure.value < value) ? 'pass' : 'miss';
}

export function formatValue(value: number | null, unit = ''): string {
  if (value === null || Number.isNaN(value)) return 'n/a';
  const text = Number.isInteger(value) ? String(value) : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(value >= 1 ? 2 : 3);
  return unit ? `${text} ${unit}` : text;
}

export function formatTarget(target: Target | undefined, unit = ''): string {
  if (!target) return '';
  return `${target.op === '>=' ? '≥' : '<'} ${formatValue(target.value, unit)}`;
}

/** Display width: CJK characters take two columns in a terminal. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return width;
}

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)));
}

/** A plain-text table: figure, value, target, pass/miss; notes follow the table, numbered. */
export function formatTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.label, formatValue(f.value, f.unit), formatTarget(f.target, f.unit), verdictOf(f)]);
  const header = ['figure', 'value', 'target', 'result'];
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => pad(c, widths[i]!)).join('  ').trimEnd();
  const out = [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  const notes = figures.filter((f) => f.note);
  if (notes.length) out.push('', ...notes.map((f) => `${f.key}: ${f.note}`));
  return out.join('\n');
}

/** The same table in Markdown, for docs/benchmarks.md. */
export function formatMarkdown(figures: readonly Figure[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| figure | key | value | target | result |',
    '|---|---|---|---|---|',
    ...figures.map((f) => `| ${esc(f.label)} | \`${f.key}\` | ${formatValue(f.value, f.unit)} | ${esc(formatTarget(f.target, f.unit))} | ${verdictOf(f)} |`),
  ].join('\n');
}

/** The one JSON object: every figure by key, with the run's facts and each scenario's details. */
export function toJson(figures: readonly Figure[], meta: Record<string, unknown>, details: Record<string, unknown>): Record<string, unknown> {
  const values = Object.fromEntries(figures.map((f) => [f.key, f.value]));
  const misses = figures.filter((f) => verdictOf(f) === 'miss').map((f) => f.key);
  return { ...values, misses, meta, figures, details };
}
