/**
 * Self time of a V8 CPU profile (`node --cpu-prof`) by package or area, inside time windows.
 *
 * The profile's `startTime` and the bench's `process.hrtime` read the same monotonic clock (µs
 * since boot on Linux), so the bench marks its saturation phases with `monotonicMicros()` and
 * only the samples taken inside them are counted: warm-up, half load and start-up stay out.
 */
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The parts of a `.cpuprofile` (Chrome DevTools `Profiler.Profile`) the summary reads. */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** A span of the monotonic clock, in µs (see `monotonicMicros`). */
export interface TimeWindow {
  readonly startUs: number;
  readonly endUs: number;
}

/** Now on the clock V8's profiler stamps its samples with, in µs. */
export function monotonicMicros(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

/** One area's self time inside the windows. */
export interface AreaTime {
  readonly area: string;
  readonly selfMicros: number;
  /** Share of the busy (not idle) samples, in %. */
  readonly percent: number;
}

export interface ProfileSummary {
  /** Busy (not idle) main-thread time the samples cover inside the windows, µs. */
  readonly busyMicros: number;
  readonly areas: readonly AreaTime[];
  /**
   * The same time with node internals charged to the package that called into node (a socket
   * write for an SDK request is the SDK's); what node runs on its own (timers, a socket's read
   * callback before any package's code) stays `node internals`.
   */
  readonly callers: readonly AreaTime[];
  /** The functions with the most self time (`name (area)`), heaviest first. */
  readonly topFunctions: readonly AreaTime[];
}

const SDK = '@aws-sdk+@smithy';
const LOGGING = 'pino/logging';

/** npm packages grouped into the areas the report names; any other package is named itself. */
const PACKAGE_AREAS: Record<string, string> = {
  '@aws-crypto': SDK,
  '@aws-sdk': SDK,
  '@smithy': SDK,
  'fast-xml-parser': SDK,
  hono: 'hono',
  '@hono/node-server': '@hono/node-server',
  '@hono/zod-openapi': 'hono',
  '@hono/zod-validator': 'hono',
  zod: 'zod',
  pino: LOGGING,
  'pino-std-serializers': LOGGING,
  'pino-abstract-transport': LOGGING,
  'sonic-boom': LOGGING,
  'thread-stream': LOGGING,
  'fast-redact': LOGGING,
  'quick-format-unescaped': LOGGING,
  'safe-stable-stringify': LOGGING,
  '@pinojs': LOGGING,
  pg: 'pg',
  'pg-protocol': 'pg',
  'pg-pool': 'pg',
  'pg-types': 'pg',
  'pg-connection-string': 'pg',
  'postgres-array': 'pg',
  'postgres-date': 'pg',
  'drizzle-orm': 'drizzle',
  tsx: 'tsx (loader)',
  esbuild: 'tsx (loader)',
  'get-tsconfig': 'tsx (loader)',
};

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': '(program): V8 and native code outside any JS frame',
  '(idle)': '(idle)',
};

/**
 * The area a frame's code belongs to, from its script URL: a package of node_modules, Herald's
 * own code (apps/, libs/, tools/), node internals, or `undefined` for a URL-less native frame
 * (a builtin such as `writev` or `JSON.parse`, counted with its caller).
 */
export function areaOf(url: string, functionName: string, workspace: string): string | undefined {
  const special = SPECIAL[functionName];
  if (url === '' && special !== undefined) return special;
  if (url === '') return undefined;
  if (url.startsWith('node:')) return 'node internals';
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const [first = '', second = ''] = path.slice(modules + '/node_modules/'.length).split('/');
    const name = first.startsWith('@') ? `${first}/${second}` : first;
    return PACKAGE_AREAS[name] ?? PACKAGE_AREAS[first] ?? name;
  }
  const inside = relative(workspace, path);
  if (!inside.startsWith('..')) return 'herald code';
  return 'other';
}

const inAny = (at: number, windows: readonly TimeWindow[]) =>
  windows.some((window) => at >= window.startUs && at < window.endUs);

/**
 * Self time by area of the samples inside `windows`. A sample in a URL-less native frame counts
 * for its nearest caller that has an area (a socket `writev` called by pino is logging).
 */
export function summarizeProfile(
  profile: CpuProfile,
  windows: readonly TimeWindow[],
  workspace: string,
): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  /** The nearest frame's area from `id` up that `accept`s it, or `fallback`. */
  const nearest = (
    cache: Map<number, string>,
    accept: (area: string | undefined) => area is string,
    fallback: string,
  ) => {
    return (id: number): string => {
      const cached = cache.get(id);
      if (cached !== undefined) return cached;
      let at: number | undefined = id;
      let area: string | undefined;
      while (at !== undefined && area === undefined) {
        const frame = byId.get(at)?.callFrame;
        const found = frame ? areaOf(frame.url, frame.functionName, workspace) : undefined;
        if (accept(found)) area = found;
        at = parent.get(at);
      }
      cache.set(id, area ?? fallback);
      return area ?? fallback;
    };
  };
  const areaOfNode = nearest(
    new Map(),
    (area): area is string => area !== undefined,
    'V8 builtins',
  );
  const callerOfNode = nearest(
    new Map(),
    (area): area is string => area !== undefined && area !== 'node internals',
    'node internals',
  );
  const areas = new Map<string, number>();
  const callers = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  let at = profile.startTime;
  profile.samples.forEach((id, index) => {
    // A sample's delta is the time since the previous one: it stands for that span.
    const delta = profile.timeDeltas[index] ?? 0;
    at += delta;
    if (delta <= 0 || !inAny(at, windows)) return;
    const area = areaOfNode(id);
    if (area === '(idle)') return;
    busy += delta;
    areas.set(area, (areas.get(area) ?? 0) + delta);
    const caller = area === 'node internals' ? callerOfNode(id) : area;
    callers.set(caller, (callers.get(caller) ?? 0) + delta);
    const name = byId.get(id)?.callFrame.functionName || '(anonymous)';
    const key = `${name} (${area})`;
    functions.set(key, (functions.get(key) ?? 0) + delta);
  });
  const rank = (entries: Map<string, number>, limit: number): AreaTime[] =>
    [...entries]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([area, micros]) => ({
        area,
        selfMicros: micros,
        percent: busy === 0 ? 0 : Math.round((micros / busy) * 1000) / 10,
      }));
  return {
    busyMicros: busy,
    areas: rank(areas, 100),
    callers: rank(callers, 100),
    topFunctions: rank(functions, 8),
  };
}
