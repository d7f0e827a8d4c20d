import { spawnSync } from 'node:child_process';
import path from 'node:path';

// `pnpm dev --check` brings everything up, seeds the demo data, verifies readiness and exits. Running it
// twice shows that a second run keeps the data and adds no duplicate demo records.
const root = path.join(__dirname, '..', '..');
const runDev = () =>
  spawnSync(process.execPath, ['--import', 'tsx', 'scripts/dev.ts', '--check'], {
    cwd: root,
    env: { ...process.env, KAFKA_TOPIC_PREFIX: '', TEMPORAL_TASK_QUEUE_PREFIX: '', LOG_LEVEL: 'warn', LOG_FORMAT: 'json' },
    encoding: 'utf8',
    timeout: 300_000,
  });

jest.setTimeout(700_000);

describe('pnpm dev', () => {
  it('when run twice, then everything answers, every URL is printed, and the second run adds no demo records', () => {
    const first = runDev();
    expect({ status: first.status, stderr: first.status === 0 ? '' : first.stderr.slice(-2000) }).toEqual({ status: 0, stderr: '' });
    expect(first.stdout).toContain(`http://127.0.0.1:${process.env.TEMPORAL_UI_PORT ?? 8233}`);
    expect(first.stdout).toContain(`http://127.0.0.1:${process.env.COMMUNITIES_PORT ?? 4001}/docs`);

    const second = runDev();
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/demo data: 0 created, [1-9]\d* already there/);
    // The demo lifecycles: driven to their stages on a fresh machine, found (not driven again) after.
    expect(first.stderr).toMatch(/demo lifecycles: (9 created, 0 already there|0 created, 1 already there)/);
    expect(first.stderr).not.toContain('could not be driven');
    expect(second.stderr).toMatch(/demo lifecycles: 0 created, 1 already there/);
    for (const service of ['organizations', 'payments', 'supervision']) {
      expect(first.stdout).toMatch(new RegExp(`${service} API docs\\s+http://127\\.0\\.0\\.1:\\d+/docs`));
    }
  });
});
