/**
 * Helpers for the personal-data scans: tests plant known mobile numbers, run the system, and look for
 * them wherever data comes to rest (workflow histories, Kafka topics, log output).
 */

/**
 * Every string and byte array inside a value (protobuf messages, Kafka messages, parsed JSON), joined as
 * one text. Bytes are read as UTF-8, so a payload or message stored in clear shows its digits.
 */
export function textOf(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<object>();
  const visit = (v: unknown): void => {
    if (v === null || v === undefined) return;
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number' || typeof v === 'bigint') parts.push(String(v));
    else if (v instanceof Uint8Array) parts.push(Buffer.from(v).toString('utf8'));
    else if (typeof v === 'object') {
      if (seen.has(v)) return;
      seen.add(v);
      if (Array.isArray(v)) v.forEach(visit);
      else if (v instanceof Map) for (const [k, x] of v) (visit(k), visit(x));
      else for (const key of Object.keys(v)) visit((v as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  return parts.join('\n');
}

export interface PlantedFinding {
  phone: string;
  /** `full`: all 11 digits; `head+middle` / `middle+tail`: a mask that left the middle four digits. */
  form: 'full' | 'head+middle' | 'middle+tail';
  at: number;
  context: string;
}

const SEP = '[\\s-]?';

/**
 * Where the planted mainland mobile numbers show: in full (also written with spaces or hyphens, or after
 * +86), or partly masked but keeping the middle four digits beside either end — a proper mask keeps only
 * the first 3 and last 4 (`139****0001`). Digit runs are matched whole, so a number is never "found"
 * inside a longer run of digits (an id or a timestamp).
 */
export function findPlantedNumbers(text: string, phones: readonly string[]): PlantedFinding[] {
  const findings: PlantedFinding[] = [];
  for (const phone of phones) {
    if (!/^1\d{10}$/.test(phone)) throw new Error(`planted numbers must be 11-digit mobile numbers, got ${phone}`);
    const [head, middle, tail] = [phone.slice(0, 3), phone.slice(3, 7), phone.slice(7)];
    const forms: [PlantedFinding['form'], RegExp][] = [
      ['full', new RegExp(`(?<!\\d)${head}${SEP}${middle}${SEP}${tail}(?!\\d)`, 'g')],
      ['head+middle', new RegExp(`(?<!\\d)${head}${SEP}${middle}(?!\\d)`, 'g')],
      ['middle+tail', new RegExp(`(?<!\\d)${middle}${SEP}${tail}(?!\\d)`, 'g')],
    ];
    for (const [form, pattern] of forms) {
      for (const match of text.matchAll(pattern)) {
        const at = match.index ?? 0;
        // A full match is also a partial one: report it once, as full.
        if (form !== 'full' && findings.some((f) => f.phone === phone && f.form === 'full' && Math.abs(f.at - at) <= 4)) continue;
        findings.push({ phone, form, at, context: text.slice(Math.max(0, at - 40), at + 40) });
      }
    }
  }
  return findings;
}
