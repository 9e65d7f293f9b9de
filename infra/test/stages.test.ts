import { describe, expect, it } from 'vitest';
import { RESOURCE_NAMES } from '@herald/config';
import { stackName, stageResourceName } from '../src/config/naming';
import { DEV, PROD, STAGES } from '../src/config/stages';
import type { StageConfig } from '../src/config/types';
import { StageConfigError, validateStageConfig } from '../src/config/validate';

function issuesOf(config: StageConfig): readonly string[] {
  try {
    validateStageConfig(config);
    return [];
  } catch (error) {
    if (error instanceof StageConfigError) return error.issues;
    throw error;
  }
}

describe('stage configuration', () => {
  it('validates every shipped stage', () => {
    expect(STAGES.dev).toBe(DEV);
    expect(STAGES.prod).toBe(PROD);
    expect(issuesOf(DEV)).toEqual([]);
    expect(issuesOf(PROD)).toEqual([]);
  });

  it('makes prod the resilient stage and dev the cheap one', () => {
    expect(PROD.natGateways).toBe(PROD.availabilityZones.length);
    expect(DEV.natGateways).toBe(1);
    expect(PROD.database.multiAz).toBe(true);
    expect(DEV.database.multiAz).toBe(false);
    expect(PROD.protectData).toBe(true);
    expect(DEV.protectData).toBe(false);
    expect(PROD.worker.capacity.onDemandBase).toBeGreaterThanOrEqual(1);
    expect(PROD.worker.capacity.spotWeight).toBeGreaterThan(PROD.worker.capacity.onDemandWeight);
  });

  describe.each<[string, Partial<StageConfig>, RegExp]>([
    [
      'one AZ',
      { availabilityZones: ['us-east-1a'], natGateways: 1 },
      /availabilityZones: expected at least 2/,
    ],
    [
      'AZs of another region',
      { availabilityZones: ['eu-west-1a', 'eu-west-1b'] },
      /expected zones of us-east-1/,
    ],
    ['more NATs than AZs', { natGateways: 3 }, /natGateways: expected 1 to 2/],
    ['a bad alarm email', { alarmEmail: 'ops' }, /alarmEmail: expected an email address/],
    [
      'a malformed certificate ARN',
      { certificateArn: 'arn:aws:iam::1:cert' },
      /certificateArn: expected arn:aws:acm/,
    ],
    [
      'a domain outside its zone',
      { domain: { name: 'api.other.org', hostedZoneId: 'Z1', zoneName: 'example.com' } },
      /not inside the hosted zone/,
    ],
    [
      'a repository without owner',
      { github: { ...DEV.github, repository: 'herald' } },
      /github.repository: expected owner\/name/,
    ],
  ])('rejects %s', (_name, override, message) => {
    it('names the field and the expected form', () => {
      expect(() => validateStageConfig({ ...DEV, ...override })).toThrow(message);
    });
  });

  it('rejects Fargate sizes that do not exist', () => {
    expect(issuesOf({ ...DEV, ingest: { ...DEV.ingest, cpu: 256, memoryMiB: 4096 } })).toEqual([
      expect.stringMatching(/ingest.memoryMiB: 4096 is not a Fargate size for cpu 256/),
    ]);
  });

  it('requires an on-demand base for the worker and min ≤ max tasks', () => {
    const issues = issuesOf({
      ...DEV,
      worker: {
        ...DEV.worker,
        minTasks: 2,
        maxTasks: 1,
        capacity: { onDemandBase: 0, onDemandWeight: 0, spotWeight: 1 },
      },
    });
    expect(issues).toEqual([
      expect.stringMatching(/worker.maxTasks: expected at least minTasks/),
      expect.stringMatching(/worker.capacity.onDemandBase: expected at least 1/),
    ]);
  });

  it('refuses a protected stage without Multi-AZ', () => {
    expect(issuesOf({ ...PROD, database: { ...PROD.database, multiAz: false } })).toEqual([
      expect.stringMatching(/protected \(production\) stage must be Multi-AZ/),
    ]);
  });
});

describe('naming', () => {
  it('prefixes shared resource names with the stage', () => {
    expect(stageResourceName('dev', RESOURCE_NAMES.messageQueue)).toBe('herald-dev-messages');
    expect(stageResourceName('prod', RESOURCE_NAMES.deadLetterQueue)).toBe(
      'herald-prod-messages-dlq',
    );
    expect(() => stageResourceName('dev', 'messages')).toThrow(RangeError);
  });

  it('names stacks herald-<stage>-<part>', () => {
    expect(stackName('prod', 'data')).toBe('herald-prod-data');
  });
});
