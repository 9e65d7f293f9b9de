/** `npm run cost -- …`: the cost command on its own, until the `herald` CLI registers it. */
import { costCommand } from './command';

costCommand()
  .name('cost')
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`cost: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
