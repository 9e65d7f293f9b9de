import type { AreaShare, ProfileRow } from './collector';

const shares = (areas: readonly AreaShare[] | undefined) =>
  (areas ?? [])
    .filter((area) => area.percent >= 1)
    .map((area) => `${area.area} ${area.percent} % (${area.microsPerMessage})`)
    .join('; ');

/** The report's profile section: self time by area for each profiled scenario. */
export function profileMarkdown(rows: readonly ProfileRow[] | undefined): string[] {
  if (!rows || rows.length === 0) return [];
  return [
    '',
    '## Where the CPU goes (`--profile`: node --cpu-prof, self time in the saturation phases)',
    '',
    "Samples of the main thread inside the saturation phases only (all runs of a scenario summed); a builtin without a script (a socket write, `JSON.parse`) counts for its caller. Each area's µs/msg is its share of the samples times the process's CPU per message in the same phases (kernel accounting): a sample spans wall time, which on a loaded machine includes waiting for a core, so the not-idle main-thread time (second column) can exceed the CPU.",
    '',
    'Two views of the same samples: by the area whose code ran (self time), and with the time spent in node internals (sockets, streams, http) charged to the package that called into node, so a socket write for an SDK request counts for the SDK; what node runs on its own (a socket read callback, timers) stays `node internals`.',
    '',
    '| service · scenario | CPU µs/msg / not-idle main-thread µs/msg | self time by area: share of busy time (µs/msg) | node internals charged to their caller | heaviest functions |',
    '| --- | ---: | --- | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.service} · ${row.scenario} | ${row.cpuMicrosPerMessage} / ${row.busyMicrosPerMessage} | ${shares(row.areas)} | ${shares(row.callers)} | ${row.topFunctions
          .slice(0, 5)
          .map((fn) => `${fn.area} ${fn.percent} %`)
          .join('; ')} |`,
    ),
  ];
}
