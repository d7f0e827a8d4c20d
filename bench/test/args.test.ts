import { parseArgs } from '../src/run';

describe('pnpm bench arguments', () => {
  it('when scenarios and the waiting scale are given, then they are read', () => {
    expect(parseArgs(['--quick', '--only=waiting', '--open=1_000', '--rows=100000', '--json'])).toEqual({
      quick: true,
      json: true,
      profile: false,
      only: ['waiting'],
      scale: { open: 1000, rows: 100_000 },
    });
    expect(parseArgs([]).scale).toEqual({ open: undefined, rows: undefined });
  });
  it('when a scale or a scenario is wrong, then the error says which and what is expected', () => {
    expect(() => parseArgs(['--open=0'])).toThrow('--open expects a positive whole number, got "0"');
    expect(() => parseArgs(['--rows=lots'])).toThrow('--rows expects a positive whole number, got "lots"');
    expect(() => parseArgs(['--only=waiting,speed'])).toThrow(/unknown scenario speed; choose from events, api, decisions, lifecycle, waiting/);
  });
});
