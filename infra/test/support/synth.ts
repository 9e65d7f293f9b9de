/**
 * Synthesizes one stage the way `cdk synth` does (same feature flags from cdk.json) into a
 * temporary directory, once per test file, and hands out Templates by stack part.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { addNagChecks, addStage, type HeraldStage } from '../../src/app';
import { stackName, type StackPart } from '../../src/config/naming';
import type { StageConfig } from '../../src/config/types';

const CDK_JSON = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

export interface SynthesizedStage {
  readonly app: App;
  readonly stage: HeraldStage;
  readonly assembly: CloudAssembly;
  readonly outdir: string;
  template(part: StackPart): Template;
  /** The raw template JSON of one stack. */
  json(part: StackPart): CfnTemplate;
  /** Every stack's template JSON, keyed by stack part. */
  all(): [StackPart, CfnTemplate][];
  cleanup(): void;
}

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly DependsOn?: string | string[];
}

export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown }>;
}

export interface SynthOptions {
  /** Run cdk-nag and the built-in CloudFormation validation (slower; the nag suite only). */
  readonly validate?: boolean;
}

/** @example const dev = synthStage(STAGES.dev); afterAll(() => dev.cleanup()); */
export function synthStage(config: StageConfig, options: SynthOptions = {}): SynthesizedStage {
  const outdir = mkdtempSync(join(tmpdir(), `herald-cdk-${config.stage}-`));
  const app = new App({
    outdir,
    context: CDK_JSON.context,
    builtinCloudFormationValidation: options.validate === true,
  });
  const stage = addStage(app, config);
  if (options.validate) addNagChecks(app);
  const assembly = app.synth();
  const templates = new Map<StackPart, Template>();
  const json = (part: StackPart): CfnTemplate =>
    assembly.getStackByName(stackName(config.stage, part)).template as CfnTemplate;
  return {
    app,
    stage,
    assembly,
    outdir,
    template(part) {
      let template = templates.get(part);
      if (!template) {
        template = Template.fromJSON(json(part));
        templates.set(part, template);
      }
      return template;
    },
    json,
    all: () =>
      (['deploy-role', 'network', 'data', 'platform', 'services', 'monitoring'] as const).map(
        (part) => [part, json(part)],
      ),
    cleanup: () => {
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** Resources of one type, as `[logicalId, resource]` pairs. */
export function resourcesOfType(template: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The single resource of a type, failing loudly when there are none or several. */
export function onlyResource(template: CfnTemplate, type: string): [string, CfnResource] {
  const found = resourcesOfType(template, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

/** The logical id of the resource whose id starts with a construct-path prefix (e.g. `SecurityGroupsAlb`). */
export function logicalIdStartingWith(
  template: CfnTemplate,
  prefix: string,
  type?: string,
): string {
  const ids = Object.keys(template.Resources).filter(
    (id) => id.startsWith(prefix) && (type === undefined || template.Resources[id]?.Type === type),
  );
  if (ids.length !== 1)
    throw new Error(
      `expected one resource id starting with ${prefix}, found ${ids.join(', ') || 'none'}`,
    );
  return ids[0]!;
}

/**
 * Renders intrinsics as readable text so ARNs can be compared as strings:
 * `{"Fn::Join":["",["arn:aws:iam::",{"Ref":"AWS::AccountId"}]]}` → `arn:aws:iam::${AWS::AccountId}`.
 */
export function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if ('Ref' in object) return `\${${String(object.Ref)}}`;
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map(render).join(separator);
    }
    if ('Fn::GetAtt' in object) return `\${${(object['Fn::GetAtt'] as string[]).join('.')}}`;
    if ('Fn::GetStackOutput' in object) {
      const output = object['Fn::GetStackOutput'] as { StackName: string; OutputName: string };
      return `\${${output.StackName}:${output.OutputName}}`;
    }
    if ('Fn::Sub' in object) return String(object['Fn::Sub']);
  }
  return JSON.stringify(value);
}
