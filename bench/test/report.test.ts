import { displayWidth, formatMarkdown, formatTable, formatValue, toJson, verdictOf, type Figure } from '../src/report';

const figures: Figure[] = [
  { key: 'lifecycleRatio', label: 'lifecycles/s vs bare workflow', value: 0.81, target: { op: '>=', value: 0.7 } },
  { key: 'decisionP99Ms', label: '评审决定 p99', value: 250.4, unit: 'ms', target: { op: '<', value: 200 } },
  { key: 'apiRatio', label: 'API vs bare express+pg', value: null, target: { op: '>=', value: 0.7 }, note: 'not measured: --only' },
  { key: 'workerRssMb', label: 'worker RSS', value: 412, unit: 'MB' },
];

describe('verdicts', () => {
  it('when a ratio reaches its floor or a latency stays under its ceiling, then it passes; otherwise it misses', () => {
    expect(verdictOf(figures[0]!)).toBe('pass');
    expect(verdictOf(figures[1]!)).toBe('miss');
    expect(verdictOf({ ...figures[1]!, value: 200 })).toBe('miss');
    expect(verdictOf({ ...figures[0]!, value: 0.7 })).toBe('pass');
  });

  it('when a figure was not measured, then it is n/a; when it has no target, then there is no verdict', () => {
    expect(verdictOf(figures[2]!)).toBe('n/a');
    expect(verdictOf(figures[3]!)).toBe('—');
  });
});

describe('table', () => {
  it('when printed, then every row lines up under its header, even with Chinese labels, and notes follow', () => {
    const text = formatTable(figures);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^figure\s+value\s+target\s+result$/);
    const valueColumn = lines[0]!.indexOf('value');
    for (const row of lines.slice(2, 6)) {
      // The value starts at the same display column in every row.
      const prefix = row.split(/\s{2,}/)[0]!;
      expect(displayWidth(prefix) + row.slice(prefix.length).search(/\S/)).toBe(valueColumn);
    }
    expect(lines[3]).toContain('250 ms');
    expect(lines[3]).toContain('< 200 ms');
    expect(lines[3]).toMatch(/miss$/);
    expect(text).toContain('apiRatio: not measured: --only');
  });

  it('when values are small or large, then they keep three significant-ish digits', () => {
    expect(formatValue(0.8123)).toBe('0.812');
    expect(formatValue(3.14159, 'ms')).toBe('3.14 ms');
    expect(formatValue(42.26)).toBe('42.3');
    expect(formatValue(1234.5)).toBe('1235');
    expect(formatValue(null)).toBe('n/a');
  });

  it('when rendered as Markdown, then each figure is a row with its key', () => {
    const md = formatMarkdown(figures).split('\n');
    expect(md).toHaveLength(2 + figures.length);
    expect(md[2]).toBe('| lifecycles/s vs bare workflow | `lifecycleRatio` | 0.810 | ≥ 0.700 | pass |');
  });
});

describe('json', () => {
  it('when serialised, then each figure is a top-level key and the misses are listed', () => {
    const json = toJson(figures, { quick: true }, {});
    expect(json).toMatchObject({ lifecycleRatio: 0.81, decisionP99Ms: 250.4, apiRatio: null, misses: ['decisionP99Ms'], meta: { quick: true } });
  });
});
