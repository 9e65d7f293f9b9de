import { describe, expect, it } from 'vitest';
import {
  HelpRequested,
  parseChaosOptions,
  QUICK_SCENARIOS,
  SCENARIOS,
  UsageError,
} from './options';

const parse = (...argv: string[]) => parseChaosOptions(argv, '/repo');

describe('parseChaosOptions', () => {
  it('runs every scenario at the issue sizes by default', () => {
    const options = parse('--seed', '7');
    expect(options.scenarios).toEqual(SCENARIOS);
    expect(options).toMatchObject({
      messages: 20_000,
      kills: 20,
      postgresOutageSeconds: 30,
      soakSeconds: 600,
      seed: 7,
    });
    expect(options.reportDir).toBe('/repo/reports/chaos');
  });

  it('--quick plays the CI subset at small sizes, a short burst included', () => {
    const options = parse('--quick');
    expect(options.scenarios).toEqual(QUICK_SCENARIOS);
    expect(options.scenarios).toContain('burst');
    expect(options.messages).toBeLessThan(20_000);
    expect(options.burstSeconds).toBeLessThan(20);
  });

  it('no longer takes --known-defects: every hostile case is played, issue 9 being fixed', () => {
    expect(() => parse('--quick', '--known-defects')).toThrow(/Unknown option '--known-defects'/);
  });

  it('scales the sizes down by flag and keeps the suite order for --only', () => {
    const options = parse('--only', 'poison,kill', '--messages', '100', '--kills', '2');
    expect(options.scenarios).toEqual(['kill', 'poison']);
    expect(options).toMatchObject({ messages: 100, kills: 2 });
  });

  it.each([
    [['--only', 'nope'], /--only takes .* unknown: nope/],
    [['--messages', '1.5'], /--messages must be a whole number/],
    [['--kills=-1'], /--kills must be a whole number/],
    [['--seed', 'x'], /--seed must be/],
    [['--bogus'], /Unknown option '--bogus'/],
  ])('refuses %j with one line naming the flag', (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });

  it('--help asks for the usage', () => {
    expect(() => parse('--help')).toThrow(HelpRequested);
  });
});
