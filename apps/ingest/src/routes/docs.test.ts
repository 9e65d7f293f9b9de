import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROBLEM_STATUS } from '@herald/contracts';
import { testApp } from '../../test/fakes';

describe('GET /openapi.json', () => {
  it('serves an OpenAPI 3.1 document of every operation, generated from the zod schemas', async () => {
    const { app } = testApp();
    const response = await app.request('/openapi.json');
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    };
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths).sort()).toEqual([
      '/healthz',
      '/readyz',
      '/v1/channels/{channel}/messages',
      '/v1/messages',
      '/v1/messages/batch',
      '/v1/messages/{id}',
    ]);
    expect(Object.keys(document.paths['/v1/messages'] ?? {})).toEqual(['post']);
    expect(document.components.schemas).toHaveProperty('MessageInput.additionalProperties', false);
    expect(document.components.schemas).toHaveProperty('Problem');
    expect(document.components.securitySchemes).toHaveProperty('bearerAuth.scheme', 'bearer');
  });
});

describe('GET /docs', () => {
  let browser: Browser;
  let server: ServerType;
  let base: string;

  beforeAll(async () => {
    server = serve({ fetch: testApp().app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      // Debian's chromium here; CI runners may point CHROMIUM_PATH at their preinstalled Chrome.
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser.close();
    server.close();
  });

  it('is a self-contained page with a strict content security policy', async () => {
    const response = await fetch(`${base}/docs`);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).not.toMatch(/<script|<link|src=|@import|url\(/i);
  });

  it('renders every operation, its parameters, schemas, error codes and limits in a browser', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) outside.push(request.url());
    });
    await page.goto(`${base}/docs`);
    expect(await page.title()).toBe('Herald ingest API');
    const operations = await page.locator('section.op .op-head').allInnerTexts();
    expect(operations.map((text) => text.split('\n').slice(0, 2).join(' '))).toEqual([
      'POST /v1/messages',
      'POST /v1/messages/batch',
      'GET /v1/messages/{id}',
      'GET /v1/channels/{channel}/messages',
      'GET /healthz',
      'GET /readyz',
    ]);
    const postMessage = page.locator('#op-post-v1-messages');
    await expect.poll(() => postMessage.innerText()).toContain('idempotency-key');
    expect(await postMessage.innerText()).toContain('channel');
    expect(await page.locator('#op-get-v1-channels-channel-messages').innerText()).toContain(
      'cursor',
    );
    const errors = await page.locator('#errors + p + table').innerText();
    for (const code of Object.keys(PROBLEM_STATUS)) expect(errors).toContain(code);
    expect(await page.locator('#limits + table').innerText()).toContain('1048576');
    expect(await page.locator('#schema-messageinput').innerText()).toContain('no other fields');
    await page.screenshot({ path: '/tmp/ingest-docs.png' });
    expect(outside).toEqual([]);
    await page.close();
  });
});
