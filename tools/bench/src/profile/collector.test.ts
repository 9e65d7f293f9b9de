import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProfileCollector } from './collector';
import type { CpuProfile } from './summary';

const WS = '/work/herald';

/** A profile of one process: every 100 µs from 1,000 µs a sample in `url`. */
function profileOf(urls: readonly string[]): CpuProfile {
  return {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '' }, children: [2, 3] },
      {
        id: 2,
        callFrame: { functionName: 'send', url: `file://${WS}/node_modules/@smithy/core/x.js` },
      },
      { id: 3, callFrame: { functionName: 'parse', url: `file://${WS}/node_modules/zod/x.js` } },
    ],
    startTime: 1_000,
    endTime: 1_000 + urls.length * 100,
    samples: urls.map((url) => (url === 'sdk' ? 2 : 3)),
    timeDeltas: urls.map(() => 100),
  };
}

describe('ProfileCollector', () => {
  it("sums a scenario's windows over its runs, per message, from the profile of each process", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-prof-'));
    const collector = new ProfileCollector(dir, WS);
    await writeFile(
      join(dir, 'CPU.20261201.000000.4242.0.001.cpuprofile'),
      JSON.stringify(profileOf(['sdk', 'sdk', 'zod', 'sdk', 'zod', 'zod'])),
    );
    // Samples at 1100 … 1600 µs: the first three in run 1, the fourth in run 2, the rest outside.
    collector.mark('ingest', 'single POST', 4242, { startUs: 1_050, endUs: 1_350 }, 2, 300);
    collector.mark('ingest', 'single POST', 4242, { startUs: 1_350, endUs: 1_450 }, 2, 500);
    const [row] = await collector.summarize();
    expect(row).toMatchObject({
      service: 'ingest',
      scenario: 'single POST',
      messages: 4,
      busyMicrosPerMessage: 100,
      // 800 µs of process CPU over 4 messages, split by the sampled shares.
      cpuMicrosPerMessage: 200,
      areas: [
        { area: '@aws-sdk+@smithy', percent: 75, microsPerMessage: 150 },
        { area: 'zod', percent: 25, microsPerMessage: 50 },
      ],
    });
  });

  it('says so when a marked process left no profile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bench-prof-'));
    const collector = new ProfileCollector(dir, WS);
    collector.mark('worker', '20 channels', 99, { startUs: 0, endUs: 1 }, 1, 1);
    await expect(collector.summarize()).rejects.toThrow(/no CPU profile of process 99/);
  });
});
