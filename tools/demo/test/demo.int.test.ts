import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '@herald/local-stack';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_STEPS, parseDemoOptions, runDemo, type DemoStack } from '../src/index';

const SCREENSHOTS = resolve(import.meta.dirname, '../../../reports/ops-page');

async function tile(page: Page, id: string): Promise<string> {
  return (await page.locator(`#${id}`).textContent()) ?? '';
}

/** Waits until the page's tile `id` shows what `check` wants (the page polls every second). */
async function pageShows(page: Page, id: string, check: (text: string) => boolean) {
  await expect.poll(() => tile(page, id), { timeout: 30_000, interval: 250 }).toSatisfy(check);
}

describe('npm run demo', () => {
  let browser: Browser;
  let dataDir: string;
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    dataDir = await mkdtemp(join(tmpdir(), 'herald-demo-'));
    await mkdir(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('narrates every step, and the ops page follows the messages, the DLQ and the redrive', async () => {
    const port = async () => String(await freePort());
    const options = parseDemoOptions([
      ...['--aws-port', await port(), '--ingest-port', await port()],
      ...['--postgres-port', await port(), '--worker-health-port', await port()],
      ...['--data-dir', dataDir, '--timeout', '180'],
    ]);
    const lines: string[] = [];
    const errors: string[] = [];
    let page: Page | undefined;
    const seen: Record<string, string> = {};
    const afterStep = async (title: string, stack: DemoStack) => {
      if (title === DEMO_STEPS[0]) {
        page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        page.on('pageerror', (error) => errors.push(error.message));
        page.on('response', (response) => {
          // The browser's own favicon request is not the page's.
          const url = new URL(response.url());
          if (response.status() >= 400 && url.pathname !== '/favicon.ico')
            errors.push(`${url.pathname}: HTTP ${String(response.status())}`);
        });
        await page.goto(`${stack.edgeUrl}/_herald/ops`);
        await pageShows(page, 'label', (text) => text === 'local');
        seen.before = await tile(page, 'stored-total');
      }
      if (!page) return;
      if (title === DEMO_STEPS[3]) {
        // The numbers move: the stored count and the latency follow the burst.
        await pageShows(page, 'stored-total', (text) => Number(text) >= 24);
        await pageShows(page, 'latency-p50', (text) => text.endsWith('ms') || text.endsWith(' s'));
        await page.screenshot({ path: join(SCREENSHOTS, 'ops-stored.png'), fullPage: true });
      }
      if (title === DEMO_STEPS[6]) {
        await pageShows(page, 'dlq-depth', (text) => text === '1');
        await expect
          .poll(async () => page?.locator('#alarms tr.state-alarm').allTextContents(), {
            timeout: 30_000,
          })
          .toEqual(expect.arrayContaining([expect.stringContaining('dlq-depth')]));
        await page.screenshot({ path: join(SCREENSHOTS, 'ops-dlq-alarm.png'), fullPage: true });
      }
      if (title === DEMO_STEPS[8]) {
        await pageShows(page, 'dlq-depth', (text) => text === '0');
        // The redriven message is stored, and the page shows the alarm back to OK.
        await pageShows(page, 'stored-total', (text) => Number(text) >= 25);
        await expect
          .poll(async () => page?.locator('#alarms tr.state-ok').allTextContents(), {
            timeout: 30_000,
          })
          .toEqual(expect.arrayContaining([expect.stringContaining('dlq-depth')]));
        await page.screenshot({ path: join(SCREENSHOTS, 'ops-after-redrive.png'), fullPage: true });
        // Closed before the demo stops the stack, so no poll meets a closed edge.
        await page.close();
      }
    };
    const done = await runDemo(options, (line) => lines.push(line), afterStep);
    const output = lines.join('\n');
    expect(done).toEqual([...DEMO_STEPS]);
    for (const [index, title] of DEMO_STEPS.entries())
      expect(output).toContain(`▶ ${String(index + 1)}/${String(DEMO_STEPS.length)} ${title}`);
    expect(output).toContain('202 for all 25');
    expect(output).toMatch(/4 alert emails for 4 critical messages/);
    expect(output).toMatch(/dlq-depth\s+ALARM/);
    expect(output).toContain('mailbox: Herald alarm dlq-depth: ALARM');
    expect(output).toMatch(/1 message\(s\) moved back \(COMPLETED\)/);
    expect(output).toContain('mailbox: Herald alarm dlq-depth: OK');
    expect(output).toContain('stopping the stack the demo started');
    expect(seen.before).toBe('0');
    // Nothing broke in the page, and the strict CSP let its script run (the tiles filled in).
    expect(errors).toEqual([]);
  });
});
