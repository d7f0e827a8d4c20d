/**
 * Where a CPU profile's time went: `node --cpu-prof` writes .cpuprofile files; this prints the top
 * functions by self time and the time per package (node_modules package, our workspace folder, or node
 * itself), which is usually enough to say what bounds a figure.
 *   pnpm exec tsx bench/src/cpu-profile.ts <file.cpuprofile> [top=25] [fromUs:toUs]
 *   pnpm exec tsx bench/src/cpu-profile.ts bench-results/<time>.json communities decisions [top=25]
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which package a script URL belongs to: a node_modules package, a workspace folder, or node itself. */
export function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  if (url.startsWith('node:')) return 'node';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  const ws = /\/(packages|services|workflows|bench|infra|scripts)\/([^/]+)/.exec(url);
  return ws ? `${ws[1]}/${ws[2]}` : url;
}

/**
 * `window` (µs of the monotonic clock, what process.hrtime gives ÷ 1000 — V8 stamps samples with the same
 * clock) keeps only the samples taken while a scenario measured; the bench records such windows.
 */
export function summarizeProfile(profile: Profile, top = 25, window?: [number, number]) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let at = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (window && (at < window[0] || at > window[1])) return;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const fns = new Map<string, number>();
  const pkgs = new Map<string, number>();
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules|main)\//, '')}:${f.lineNumber + 1}`;
    fns.set(key, (fns.get(key) ?? 0) + us);
    const pkg = f.functionName === '(idle)' ? '(idle)' : f.functionName === '(garbage collector)' ? '(gc)' : packageOf(f.url);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / total) * 1000) / 10;
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: pct(us) }));
  return { totalMs: Math.round(total / 1000), packages: sorted(pkgs), functions: sorted(fns) };
}

/** From a run's results (bench-results/<time>.json of a --profile run): one process's main-thread profile and one window. */
function fromRun(resultsFile: string, processName: string, windowLabel: string): { file: string; range: [number, number] } {
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as { meta: { runId: string; processes: Record<string, number>; windows: { label: string; fromUs: number; toUs: number }[] } };
  const pid = results.meta.processes[processName];
  const window = results.meta.windows.find((w) => w.label === windowLabel);
  if (!pid || !window) throw new Error(`no process ${processName} or window "${windowLabel}" in ${resultsFile}: ${results.meta.windows.map((w) => w.label).join(', ')}`);
  const dir = path.join(path.dirname(resultsFile), 'logs', results.meta.runId, 'profiles');
  const file = readdirSync(dir).find((f) => f.includes(`.${pid}.0.`));
  if (!file) throw new Error(`no profile of ${processName} (pid ${pid}) in ${dir}`);
  return { file: path.join(dir, file), range: [window.fromUs, window.toUs] };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  if (!args[0]) throw new Error('usage: cpu-profile.ts <file.cpuprofile> [top] [fromUs:toUs] | <results.json> <process> <window label> [top]');
  const [file, top, window] = args[0].endsWith('.json')
    ? (() => {
        const r = fromRun(args[0]!, args[1]!, args[2]!);
        return [r.file, args[3], r.range.join(':')];
      })()
    : args;
  const range = window ? (window.split(':').map(Number) as [number, number]) : undefined;
  const s = summarizeProfile(JSON.parse(readFileSync(file!, 'utf8')) as Profile, Number(top ?? 25), range);
  process.stdout.write(`total ${s.totalMs} ms\n\nby package:\n`);
  for (const p of s.packages) process.stdout.write(`  ${String(p.pct).padStart(5)}%  ${p.name}\n`);
  process.stdout.write('\nby function (self time):\n');
  for (const f of s.functions) process.stdout.write(`  ${String(f.pct).padStart(5)}%  ${f.name}\n`);
}
