import { SingleBar, Presets } from 'cli-progress';
import type { CliIo } from './io';

/** A progress bar on a terminal; nothing at all when stdout is not one (scripts, pipes, --json). */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function startProgress(io: CliIo, json: boolean, label: string): Progress {
  if (!io.stdoutIsTty || json) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: `${label} [{bar}] {value}/{total}`, hideCursor: true, clearOnComplete: false },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
