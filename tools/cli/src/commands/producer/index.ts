import type { Command } from 'commander';

/**
 * The producer commands (`herald send`, `status`, `tail`). A stub on this branch: w10client
 * provides the real module, and the merge keeps theirs.
 */
export function producerCommands(): Command[] {
  return [];
}
