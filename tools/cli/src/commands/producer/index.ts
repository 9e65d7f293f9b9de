import type { Command } from 'commander';
import { defaultDeps, type ProducerDeps } from './producer-deps';
import { sendCommand } from './send';
import { statusCommand } from './status';
import { tailCommand } from './tail';

export type { ProducerDeps } from './producer-deps';

/**
 * The producer commands of `herald`: `send`, `status`, `tail`. They throw on failure
 * (`HeraldApiError`, or an `Error` with a one-line message) and leave printing it to the main
 * entry.
 *
 * @param deps streams and environment (tests pass their own)
 */
export function producerCommands(deps: ProducerDeps = defaultDeps()): Command[] {
  return [sendCommand(deps), statusCommand(deps), tailCommand(deps)];
}
