import { ALL_SEARCH_ATTRIBUTES } from '@linli/temporal';
import { INDEXED_VALUE_TYPE, isChecksumDbUnreachable, temporalStartDevArgs } from '../src/components/temporal.component';
import { infraSettings } from '../src/settings';

/** Values of a repeatable flag, e.g. all `--search-attribute X` values. */
function flagValues(args: string[], flag: string): string[] {
  return args.flatMap((arg, i) => (arg === flag && args[i + 1] !== undefined ? [args[i + 1]!] : []));
}

describe('temporal server start-dev arguments', () => {
  const s = infraSettings({ LINLI_HOME: '/srv/linli', TEMPORAL_PORT: '17233', TEMPORAL_UI_PORT: '18233', TEMPORAL_NAMESPACE: 'linli-x' });
  const args = temporalStartDevArgs(s);

  it('when built, then every declared search attribute is registered with its kind', () => {
    const registered = flagValues(args, '--search-attribute');
    expect(registered).toHaveLength(ALL_SEARCH_ATTRIBUTES.length);
    for (const attr of ALL_SEARCH_ATTRIBUTES) expect(registered).toContain(`${attr.name}=${attr.kind}`);
  });

  it('when built, then the namespace, ports, bind address and persistent database come from settings', () => {
    expect(args.slice(0, 2)).toEqual(['server', 'start-dev']);
    expect(flagValues(args, '--namespace')).toEqual(['linli-x']);
    expect(flagValues(args, '--port')).toEqual(['17233']);
    expect(flagValues(args, '--ui-port')).toEqual(['18233']);
    expect(flagValues(args, '--ip')).toEqual(['127.0.0.1']);
    expect(flagValues(args, '--db-filename')).toEqual(['/srv/linli/data/temporal/temporal.db']);
    expect(flagValues(args, '--sqlite-pragma')).toEqual(['journal_mode=WAL']);
  });

  it("when built, then the UI decodes payloads through the operations service's codec endpoint (or none when switched off)", () => {
    expect(flagValues(args, '--ui-codec-endpoint')).toEqual(['http://127.0.0.1:4000/codec']);
    const moved = temporalStartDevArgs(infraSettings({ LINLI_HOME: '/srv/linli', OPERATIONS_PORT: '14000' }));
    expect(flagValues(moved, '--ui-codec-endpoint')).toEqual(['http://127.0.0.1:14000/codec']);
    expect(temporalStartDevArgs(infraSettings({ LINLI_HOME: '/srv/linli', TEMPORAL_UI_CODEC_ENDPOINT: '' }))).not.toContain('--ui-codec-endpoint');
  });

  it('when a declared kind is mapped to the wire enum, then each kind has a distinct known value', () => {
    const kinds = new Set(ALL_SEARCH_ATTRIBUTES.map((a) => a.kind));
    for (const kind of kinds) expect(INDEXED_VALUE_TYPE[kind]).toBeGreaterThan(0);
    expect(new Set(Object.values(INDEXED_VALUE_TYPE)).size).toBe(Object.keys(INDEXED_VALUE_TYPE).length);
  });
});

describe('isChecksumDbUnreachable', () => {
  it('when go could not reach the checksum database, then the GOSUMDB=off retry applies', () => {
    // Verbatim shape of Go 1.26's message with the checksum database unreachable.
    const output =
      'go: golang.org/x/example/hello@latest: golang.org/x/example/hello@v0.0.0-20250915201037-7f05d217867b: verifying module: ' +
      'golang.org/x/example/hello@v0.0.0-20250915201037-7f05d217867b: initializing sumdb.Client: checking tree#69322702: ' +
      'Get "https://sum.golang.org/tile/8/3/000.p/4": dial tcp: lookup sum.golang.org: no such host';
    expect(isChecksumDbUnreachable(output)).toBe(true);
  });

  it('when the checksum does not match, then there is no retry without verification', () => {
    const output = 'verifying github.com/x/y@v1.0.0: checksum mismatch\n\tdownloaded: h1:abc\n\tsum.golang.org: h1:def\n\nSECURITY ERROR';
    expect(isChecksumDbUnreachable(output)).toBe(false);
  });

  it('when the build failed for another reason, then there is no retry', () => {
    expect(isChecksumDbUnreachable('go: go.mod requires go >= 1.25.0 (running go 1.22.1; GOTOOLCHAIN=local)')).toBe(false);
  });
});
