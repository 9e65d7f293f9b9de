import { describe, expect, it } from 'vitest';
import { batchedAgainstUnbatched, costPerMillion, DEFAULT_INPUTS } from './model';

const line = (breakdown: ReturnType<typeof costPerMillion>, item: string) =>
  breakdown.lines.find((entry) => entry.item === item);

describe('costPerMillion', () => {
  const quiet = {
    ...DEFAULT_INPUTS,
    criticalFraction: 0,
    logBytesPerMessage: 0,
    cpuMicrosPerMessage: 0,
  };

  it('bills send, receive and delete once per batch of 10 small messages', () => {
    const cost = costPerMillion(quiet);
    expect(line(cost, 'SQS requests')?.unitsPerMessage).toBeCloseTo(0.3);
    expect(line(cost, 'SQS requests')?.usdPerMillion).toBeCloseTo(0.12);
  });

  it('bills each 64 KiB chunk of a send or receive as one more request', () => {
    const cost = costPerMillion({ ...quiet, messageBytes: 10 * 1024 });
    // 10 × 10 KiB = 100 KiB per call: two chunks to send, two to receive, one delete.
    expect(line(cost, 'SQS requests')?.unitsPerMessage).toBeCloseTo(0.5);
  });

  it('adds a channel-totals write per distinct channel of a batch and one per alert', () => {
    expect(line(costPerMillion(quiet), 'DynamoDB write units')?.unitsPerMessage).toBeCloseTo(1.1);
    const spread = costPerMillion({ ...quiet, channelsPerBatch: 10, criticalFraction: 0.5 });
    expect(line(spread, 'DynamoDB write units')?.unitsPerMessage).toBeCloseTo(2.5);
  });

  it('prices alerts, emails, log bytes and CPU time', () => {
    const cost = costPerMillion({
      ...quiet,
      criticalFraction: 0.1,
      logBytesPerMessage: 1024 ** 3 / 1_000_000,
      cpuMicrosPerMessage: 3600,
      gbPerVcpu: 2,
    });
    expect(line(cost, 'SNS publishes')?.usdPerMillion).toBeCloseTo(0.05);
    expect(line(cost, 'SNS emails')?.usdPerMillion).toBeCloseTo(2);
    expect(line(cost, 'CloudWatch Logs')?.usdPerMillion).toBeCloseTo(0.5);
    // 3600 µs × 1 M = 1 vCPU-hour, with 2 GB-hours.
    expect(line(cost, 'Fargate CPU + memory')?.usdPerMillion).toBeCloseTo(0.04048 + 2 * 0.004445);
    expect(
      line(
        costPerMillion({ ...quiet, cpuMicrosPerMessage: 3600, spot: true }),
        'Fargate CPU + memory',
      )?.usdPerMillion,
    ).toBeCloseTo(0.3 * (0.04048 + 2 * 0.004445));
  });

  it('uses counted figures instead of the structural ones when the bench supplies them', () => {
    const cost = costPerMillion({
      ...quiet,
      measured: { sqsRequestsPerMessage: 0.25, dynamoWriteUnitsPerMessage: 2 },
    });
    expect(line(cost, 'SQS requests')?.unitsPerMessage).toBeCloseTo(0.25);
    expect(line(cost, 'DynamoDB write units')?.usdPerMillion).toBeCloseTo(1.25);
  });

  it('totals its lines', () => {
    const cost = costPerMillion(DEFAULT_INPUTS);
    expect(cost.usdPerMillion).toBeCloseTo(
      cost.lines.reduce((sum, entry) => sum + entry.usdPerMillion, 0),
    );
  });
});

describe('batchedAgainstUnbatched', () => {
  it('makes one SQS call per message and one totals write per message unbatched', () => {
    const { batched, unbatched } = batchedAgainstUnbatched({
      ...DEFAULT_INPUTS,
      measured: { sqsRequestsPerMessage: 0.3 },
    });
    expect(line(unbatched, 'SQS requests')?.unitsPerMessage).toBeCloseTo(3);
    expect(line(unbatched, 'DynamoDB write units')?.unitsPerMessage).toBeCloseTo(2.01);
    expect(unbatched.usdPerMillion).toBeGreaterThan(batched.usdPerMillion);
  });
});
