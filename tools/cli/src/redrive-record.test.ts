import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { operatorIdentity } from './redrive-record';

const sts = mockClient(STSClient);
afterEach(() => {
  sts.reset();
});

describe('operatorIdentity', () => {
  it('is the OS user at this host locally, without asking AWS', async () => {
    const who = await operatorIdentity({ USER: 'ops' }, { kind: 'local', region: 'us-east-1' });
    expect(who).toMatch(/^\S+@\S+$/);
    expect(sts.commandCalls(GetCallerIdentityCommand)).toHaveLength(0);
  });

  it('adds the AWS principal on a stage', async () => {
    sts
      .on(GetCallerIdentityCommand)
      .resolves({ Arn: 'arn:aws:sts::123456789012:assumed-role/ops/alice' });
    const who = await operatorIdentity({}, { kind: 'aws', region: 'eu-west-1' });
    expect(who).toMatch(/^\S+@\S+ \(arn:aws:sts::123456789012:assumed-role\/ops\/alice\)$/);
  });

  it('keeps the OS identity when STS cannot answer', async () => {
    sts.on(GetCallerIdentityCommand).rejects(new Error('no credentials'));
    const who = await operatorIdentity({}, { kind: 'aws', region: 'eu-west-1' });
    expect(who).toMatch(/^\S+@\S+$/);
  });
});
