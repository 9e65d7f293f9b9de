import type { Writable } from 'node:stream';
import { SingleBar } from 'cli-progress';

/** A progress line on stderr that output lines can pass through without garbling it. */
export interface Progress {
  /** Clears the bar so a caller can write lines to stdout; the next update redraws it. */
  clear(): void;
  update(done: number, total: number): void;
  stop(): void;
}

const NONE: Progress = { clear: () => undefined, update: () => undefined, stop: () => undefined };

/**
 * A bar only when `enabled` (stdout is a terminal and not --json): piped output stays clean.
 * `keep` leaves the finished bar on screen (a redrive's final count) instead of erasing it.
 */
export function createProgress(
  stream: Writable,
  enabled: boolean,
  label: string,
  { keep = false }: { keep?: boolean } = {},
): Progress {
  if (!enabled) return NONE;
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {value}/{total}`,
    barsize: 30,
    hideCursor: false,
    clearOnComplete: !keep,
    // Lines written between updates erase it: always redraw, even when the numbers did not move.
    forceRedraw: true,
    // The caller decided (stdout is a terminal); stderr itself may be a pipe.
    noTTYOutput: true,
  });
  let started = false;
  return {
    clear: () => {
      if (started) stream.write('\r\x1b[2K');
    },
    update: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
        return;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
