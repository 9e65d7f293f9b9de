// Prints the mailbox of a running edge: `npm run mailbox [-- --topic <arn|name>] [--json] [--clear]`.
// The edge is found at AWS_ENDPOINT_URL (default http://127.0.0.1:4566).
import { parseArgs } from 'node:util';
import type { MailboxMessage } from './mailbox';
import { formatMailbox } from './mailbox-format';

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4566';

async function request(url: URL, method: 'GET' | 'DELETE'): Promise<unknown> {
  const response = await fetch(url, { method });
  if (!response.ok)
    throw new Error(`${method} ${url.href} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { topic: { type: 'string' }, json: { type: 'boolean' }, clear: { type: 'boolean' } },
  });
  const endpoint = (process.env.AWS_ENDPOINT_URL ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const url = new URL('/_herald/mailbox', endpoint);
  if (values.clear === true) {
    const { cleared } = (await request(url, 'DELETE')) as { cleared: number };
    console.log(`Cleared ${cleared} message(s) from the mailbox at ${endpoint}.`);
    return;
  }
  if (values.topic !== undefined) url.searchParams.set('topic', values.topic);
  const { messages } = (await request(url, 'GET')) as { messages: MailboxMessage[] };
  console.log(
    values.json === true ? JSON.stringify(messages, null, 2) : formatMailbox(messages, endpoint),
  );
}

main().catch((error: unknown) => {
  const reason = error instanceof Error ? error.message : String(error);
  console.error(
    `Could not read the mailbox: ${reason}\nIs the edge running (npm start, or tsx tools/local-aws/src/cli.ts)?`,
  );
  process.exitCode = 1;
});
