import { afterAll, describe, expect, it } from 'vitest';
import { ALARM_THRESHOLDS, STACK_OUTPUTS } from '@herald/config';
import { STAGES } from '../src/config/stages';
import { resourcesOfType, synthStage } from './support/synth';

const dev = synthStage(STAGES.dev);
afterAll(() => {
  dev.cleanup();
});

describe('stack outputs the herald CLI resolves a stage from', () => {
  it.each(Object.entries(STACK_OUTPUTS))('%s is an output of its stack', (_name, output) => {
    const outputs = dev.template(output.stack).toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toContain(output.key);
  });

  it('lists every alarm of the stage, one reference per alarm resource', () => {
    const json = dev.json('monitoring');
    const outputs = (json as { Outputs?: Record<string, { Value: unknown }> }).Outputs ?? {};
    const value = outputs[STACK_OUTPUTS.alarmNames.key]?.Value as {
      'Fn::Join': [string, { Ref: string }[]];
    };
    const refs = value['Fn::Join'][1].map((part) => part.Ref).sort();
    const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm')
      .map(([id]) => id)
      .sort();
    expect(refs).toEqual(alarms);
    expect(refs).toHaveLength(Object.keys(ALARM_THRESHOLDS).length);
  });
});
