import { costCommand } from '@herald/bench/cost';
import { Command, CommanderError, Option } from 'commander';
import { alarmsCommand } from './commands/alarms';
import { dlqCommand } from './commands/dlq';
import { keysCommand } from './commands/keys';
import { opsCommand } from './commands/ops';
import { producerCommands } from './commands/producer/index.js';
import { queueCommand } from './commands/queue';
import type { CliDeps } from './context';
import { CliError, innermostMessage } from './errors';
import { STAGES } from './target';

/** Applies the shared output and error behaviour to a command and all its subcommands. */
function configure(command: Command, deps: CliDeps): void {
  command
    .configureOutput({
      writeOut: (text) => {
        deps.io.out(text.trimEnd());
      },
      writeErr: (text) => {
        deps.io.err(text.trimEnd());
      },
      // run() prints commander's errors as one `herald: …` line like every other error.
      outputError: () => undefined,
    })
    .exitOverride()
    .showHelpAfterError(false);
  for (const sub of command.commands) configure(sub, deps);
}

/** The whole `herald` command tree. */
export function createProgram(deps: CliDeps): Command {
  const program = new Command('herald')
    .description(
      'Operate Herald: messages, API keys, queue stats, the dead-letter queue, alarms, cost.\n' +
        'Targets the local stack (`npm start`) unless --stage names a deployed stage.',
    )
    .option('--json', 'print machine-readable JSON (read commands)', false)
    .option('--debug', 'print stack traces on errors', false)
    .addOption(
      new Option(
        '--stage <stage>',
        'a deployed stage, resolved from its CloudFormation outputs',
      ).choices(STAGES),
    )
    .version('0.0.0', '-V, --version')
    .enablePositionalOptions(false)
    .addCommand(keysCommand(deps))
    .addCommand(queueCommand(deps))
    .addCommand(dlqCommand(deps))
    .addCommand(alarmsCommand(deps))
    .addCommand(costCommand())
    .addCommand(opsCommand(deps));
  for (const command of producerCommands()) program.addCommand(command);
  // The program consumes --json/--debug wherever they appear, so a subcommand declaring its own
  // --json would never see it: hand the global value down to commands that read their own.
  program.hook('preAction', (root, action) => {
    for (const name of ['json', 'debug'] as const) {
      const declared = action.options.some((option) => option.attributeName() === name);
      if (declared && root.getOptionValue(name) === true) action.setOptionValue(name, true);
    }
  });
  configure(program, deps);
  return program;
}

/**
 * Runs `herald` with `argv` (without `node` and the script) and answers the exit code. Every
 * error is one line `herald: <message>`; the stack follows only with --debug.
 */
export async function runCli(argv: readonly string[], deps: CliDeps): Promise<number> {
  const program = createProgram(deps);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      // Commander puts its "(Did you mean …?)" on a second line: an error stays one line.
      deps.io.err(`herald: ${error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}`);
      return error.exitCode === 1 ? 2 : error.exitCode;
    }
    deps.io.err(`herald: ${innermostMessage(error)}`);
    if (argv.includes('--debug') && error instanceof Error && error.stack) deps.io.err(error.stack);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
