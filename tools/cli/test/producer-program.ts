/**
 * A stand-in for the `herald` main entry, for tests that need a real process (signals): the
 * producer commands under a program, an error printed as one line with exit 1.
 */
import { Command } from 'commander';
import { producerCommands } from '../src/commands/producer/index';

const program = new Command('herald').option('--json');
for (const command of producerCommands()) program.addCommand(command);
program.parseAsync(process.argv).then(
  () => {
    process.exitCode = 0;
  },
  (error: unknown) => {
    console.error(`herald: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
