/**
 * `npx tsx tools/images/src/cli.ts <command>`: the production images, built with podman.
 *   base   build the local base image unless its inputs' tag exists
 *   build  the base image, then both app images from their Dockerfiles
 *   specs  the containers as the synthesized task definitions run them (--json)
 */
import { parseArgs } from 'node:util';
import { ensureBaseImage } from './base-image';
import { buildImages } from './build-images';
import { loadContainers } from './task-definitions';

const USAGE = `usage: images <command> [--json] [--quiet]
  base    build the local base image (Debian bookworm minbase + Node 22 + user node) if missing
  build   build the base image, then apps/ingest and apps/worker images (podman, layer cache)
  specs   the containers of the prod task definitions, read from infra/cdk.out
options: --json  print the result as JSON   --quiet  no build output   --help`;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  const [command, ...rest] = positionals;
  if (values.help || command === 'help') {
    console.log(USAGE);
    return;
  }
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0] ?? ''}`);
  const log =
    values.quiet || values.json
      ? () => undefined
      : (line: string) => {
          console.error(line);
        };
  const print = (value: unknown, text: string) => {
    console.log(values.json ? JSON.stringify(value, null, 2) : text);
  };
  switch (command) {
    case 'base': {
      const base = await ensureBaseImage(log);
      print(
        base,
        `${base.tag} (${base.cached ? 'cached' : `built in ${String(base.buildMs)} ms`})`,
      );
      return;
    }
    case 'build': {
      const report = await buildImages(log);
      print(
        report,
        [report.base, ...report.images]
          .map(
            (image) =>
              `${image.tag}  ${(image.sizeBytes / 1e6).toFixed(0)} MB  ${String(image.buildMs)} ms`,
          )
          .join('\n'),
      );
      return;
    }
    case 'specs': {
      const specs = loadContainers();
      print(
        specs,
        specs.map((spec) => `${spec.family}/${spec.name}  ${spec.dockerfile}`).join('\n'),
      );
      return;
    }
    case undefined:
      throw new UsageError('a command is required');
    default:
      throw new UsageError(`unknown command: ${command}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  console.error(`images: ${message}`);
  if (error instanceof UsageError || (error instanceof TypeError && 'code' in error))
    console.error(USAGE);
  process.exit(error instanceof UsageError ? 2 : 1);
});
