import type { ProfileRow } from './collector';

/** The report's profile section: self time by area for each profiled scenario. */
export function profileMarkdown(rows: readonly ProfileRow[] | undefined): string[] {
  if (!rows || rows.length === 0) return [];
  return [
    '',
    '## Where the CPU goes (`--profile`: node --cpu-prof, self time in the saturation phases)',
    '',
    'Samples of the main thread inside the saturation phases only (all runs of a scenario summed); a builtin without a script (a socket write, `JSON.parse`) counts for its caller. Process CPU per message is higher than main-thread busy time: it also counts GC helper and libuv threads.',
    '',
    '| service · scenario | main-thread µs/msg | areas: share of busy time (µs/msg) | heaviest functions |',
    '| --- | ---: | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.service} · ${row.scenario} | ${row.busyMicrosPerMessage} | ${row.areas
          .filter((area) => area.percent >= 1)
          .map((area) => `${area.area} ${area.percent} % (${area.microsPerMessage})`)
          .join('; ')} | ${row.topFunctions
          .slice(0, 5)
          .map((fn) => `${fn.area} ${fn.percent} %`)
          .join('; ')} |`,
    ),
  ];
}
