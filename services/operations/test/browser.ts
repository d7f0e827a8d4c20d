import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const SERVICE_DIR = path.join(__dirname, '..');

/**
 * Debian's chromium (plus a CJK font, or Chinese renders as boxes). Installed once when missing and we
 * are root; one installer at a time (a lock file), since Jest runs files in parallel. Anything else
 * fails with what to do.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM) && hasCjkFont()) return CHROMIUM;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`${CHROMIUM} is missing and this is not root: install it with \`apt-get update && apt-get install -y chromium fonts-wqy-microhei\``);
  }
  const lock = path.join(os.tmpdir(), 'linli-chromium-install.lock');
  const started = Date.now();
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx'));
      break;
    } catch {
      if (Date.now() - started > 600_000) throw new Error(`waited 10 minutes for another chromium install (${lock})`);
      execFileSync('sleep', ['2']);
      if (existsSync(CHROMIUM) && hasCjkFont()) return CHROMIUM;
    }
  }
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const update = spawnSync('apt-get', ['update'], { env, encoding: 'utf8' });
    const install = spawnSync('apt-get', ['install', '-y', '-q', 'chromium', 'fonts-wqy-microhei'], { env, encoding: 'utf8' });
    if (update.status !== 0 || install.status !== 0 || !existsSync(CHROMIUM)) {
      throw new Error(`could not install chromium with apt-get (exit ${update.status}/${install.status}):\n${(install.stderr || update.stderr).slice(-2000)}`);
    }
    return CHROMIUM;
  } finally {
    unlinkSync(lock);
  }
}

function hasCjkFont(): boolean {
  const r = spawnSync('fc-list', [':lang=zh'], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim().length > 0;
}

/** Chromium with a new, empty profile (playwright passes it as --user-data-dir). */
export async function launchBrowser(opts: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<{ context: BrowserContext; cleanup: () => Promise<void> }> {
  const executablePath = ensureChromium();
  const profile = mkdtempSync(path.join(os.tmpdir(), 'linli-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: opts.viewport ?? { width: 1400, height: 900 },
    locale: opts.locale ?? 'zh-CN',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    cleanup: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

function newestIn(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds the console (Vite) when web/dist is missing or older than web/. */
export function ensureConsoleBuilt(): void {
  const web = path.join(SERVICE_DIR, 'web');
  const built = path.join(web, 'dist', 'index.html');
  if (existsSync(built) && statSync(built).mtimeMs >= newestIn(web)) return;
  const vite = path.join(SERVICE_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: SERVICE_DIR,
    encoding: 'utf8',
    // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`console build failed:\n${r.stdout}\n${r.stderr}`);
}

export function artifactsDir(): string {
  const dir = path.join(SERVICE_DIR, '..', '..', 'test-artifacts', 'console');
  mkdirSync(dir, { recursive: true });
  return dir;
}
