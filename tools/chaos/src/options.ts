import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Every scenario, in the order a full run plays them. */
export const SCENARIOS = [
  'kill',
  'postgres-outage',
  'dynamodb-outage',
  'sqs-outage',
  'sigterm',
  'hostile',
  'poison',
  'soak',
  'burst',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** What `--quick` plays: no soak (machine-bound), a short burst (overload shedding). */
export const QUICK_SCENARIOS: readonly ScenarioName[] = [
  'kill',
  'sqs-outage',
  'hostile',
  'poison',
  'burst',
];

export interface ChaosOptions {
  readonly quick: boolean;
  readonly scenarios: readonly ScenarioName[];
  readonly json: boolean;
  readonly reportDir: string;
  /** Messages the SIGKILL scenario sends, and how many SIGKILLs it deals while they flow. */
  readonly messages: number;
  readonly kills: number;
  /** Messages each outage and SIGTERM scenario sends. */
  readonly faultMessages: number;
  readonly postgresOutageSeconds: number;
  readonly edgeOutageSeconds: number;
  readonly sigterms: number;
  readonly capacitySeconds: number;
  readonly soakSeconds: number;
  readonly burstSeconds: number;
  /** Generated hostile requests on top of the hand-written ones. */
  readonly hostileGenerated: number;
  readonly seed: number;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE = `usage: npm run chaos -- [--quick] [--only kill,sqs-outage,…] [--json] [--report-dir reports/chaos]
       [--messages 20000] [--kills 20] [--fault-messages 3000] [--postgres-outage-seconds 30]
       [--edge-outage-seconds 10] [--sigterms 3] [--capacity-seconds 10] [--soak-seconds 600]
       [--burst-seconds 20] [--hostile-generated 520] [--seed N]
scenarios: ${SCENARIOS.join(', ')}
--quick      ${QUICK_SCENARIOS.join(', ')} at small sizes (CI)
--json       print the JSON report on stdout instead of the table (it is always written to --report-dir)
exit code    0 every verdict passed, 1 a verdict failed, 2 bad usage`;

const FULL = {
  messages: 20_000,
  kills: 20,
  faultMessages: 3_000,
  postgresOutageSeconds: 30,
  edgeOutageSeconds: 10,
  sigterms: 3,
  capacitySeconds: 10,
  soakSeconds: 600,
  burstSeconds: 20,
  hostileGenerated: 520,
};
const QUICK: typeof FULL = {
  ...FULL,
  // Sized so --quick (five scenarios and the stack's start) stays near 3 minutes on a loaded
  // 2-core machine.
  messages: 800,
  kills: 3,
  faultMessages: 400,
  edgeOutageSeconds: 5,
  sigterms: 1,
  capacitySeconds: 4,
  soakSeconds: 30,
  burstSeconds: 4,
  hostileGenerated: 440,
};

/** Parses the command line; throws UsageError with one line naming the bad flag. */
export function parseChaosOptions(argv: readonly string[], workspaceRoot: string): ChaosOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      options: {
        quick: { type: 'boolean', default: false },
        only: { type: 'string' },
        json: { type: 'boolean', default: false },
        'report-dir': { type: 'string' },
        messages: { type: 'string' },
        kills: { type: 'string' },
        'fault-messages': { type: 'string' },
        'postgres-outage-seconds': { type: 'string' },
        'edge-outage-seconds': { type: 'string' },
        sigterms: { type: 'string' },
        'capacity-seconds': { type: 'string' },
        'soak-seconds': { type: 'string' },
        'burst-seconds': { type: 'string' },
        'hostile-generated': { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) throw new HelpRequested();
  const base = values.quick ? QUICK : FULL;
  const int = (name: keyof typeof FULL, flag: string, min: number, max: number): number => {
    const raw = values[flag as keyof typeof values];
    if (raw === undefined) return base[name];
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max)
      throw new UsageError(
        `--${flag} must be a whole number from ${min} to ${max}, got ${String(raw)}`,
      );
    return value;
  };
  return {
    quick: values.quick,
    scenarios: parseOnly(values.only, values.quick),
    json: values.json,
    reportDir: resolve(workspaceRoot, values['report-dir'] ?? 'reports/chaos'),
    messages: int('messages', 'messages', 10, 1_000_000),
    kills: int('kills', 'kills', 0, 1_000),
    faultMessages: int('faultMessages', 'fault-messages', 10, 1_000_000),
    postgresOutageSeconds: int('postgresOutageSeconds', 'postgres-outage-seconds', 1, 600),
    edgeOutageSeconds: int('edgeOutageSeconds', 'edge-outage-seconds', 1, 600),
    sigterms: int('sigterms', 'sigterms', 1, 100),
    capacitySeconds: int('capacitySeconds', 'capacity-seconds', 2, 120),
    soakSeconds: int('soakSeconds', 'soak-seconds', 5, 7_200),
    burstSeconds: int('burstSeconds', 'burst-seconds', 2, 600),
    hostileGenerated: int('hostileGenerated', 'hostile-generated', 0, 100_000),
    seed: values.seed === undefined ? Date.now() % 2 ** 31 : parseSeed(values.seed),
  };
}

/** Thrown for --help: the CLI prints the usage and exits 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
}

function parseSeed(raw: string): number {
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 31)
    throw new UsageError(`--seed must be a whole number from 0 to 2^31-1, got ${raw}`);
  return value;
}

function parseOnly(raw: string | undefined, quick: boolean): readonly ScenarioName[] {
  if (raw === undefined) return quick ? QUICK_SCENARIOS : SCENARIOS;
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SCENARIOS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0)
    throw new UsageError(
      `--only takes a comma-separated list of ${SCENARIOS.join(', ')}; unknown: ${unknown.join(', ') || '(empty)'}`,
    );
  // Play them in the suite's order whatever order they were named in.
  return SCENARIOS.filter((name) => names.includes(name));
}
