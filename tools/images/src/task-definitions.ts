/**
 * The containers as ECS will run them, read from the synthesized CDK app (`cdk.out`), so the
 * local run and the rehearsal tests follow the CDK code instead of restating it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

export const WORKSPACE_ROOT = resolve(import.meta.dirname, '../../..');
export const CDK_OUT = join(WORKSPACE_ROOT, 'infra/cdk.out');

/** An environment variable: its literal value, or undefined when CloudFormation resolves it. */
export interface EnvironmentEntry {
  name: string;
  value: string | undefined;
}

/** A secret: the variable's name and the stack output naming the secret (which role's it is). */
export interface SecretEntry {
  name: string;
  /** The Secrets Manager reference as a string, e.g. `…DatabaseWriterSecret…:password::`. */
  source: string;
  /** The JSON key read from the secret (`username`, `password`). */
  jsonKey: string;
}

export interface ContainerSpec {
  /** Task definition family, e.g. `herald-prod-worker`. */
  family: string;
  /** Container name, e.g. `worker`, `migrate`. */
  name: string;
  /** The Dockerfile of the container's image asset, relative to the workspace root. */
  dockerfile: string;
  entryPoint: string[] | undefined;
  command: string[] | undefined;
  user: string | undefined;
  containerPorts: number[];
  environment: EnvironmentEntry[];
  secrets: SecretEntry[];
  healthCheck:
    | { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number }
    | undefined;
  readonlyRootFilesystem: boolean;
  initProcessEnabled: boolean;
  /** Seconds ECS waits after SIGTERM before SIGKILL (30 when unset). */
  stopTimeout: number;
}

/** A target group with the container it forwards to. */
export interface TargetSpec {
  containerName: string;
  containerPort: number;
  targetGroupPort: number;
  healthCheckPath: string | undefined;
}

const cfnValue = z.unknown();
const containerSchema = z.object({
  Name: z.string(),
  Image: cfnValue,
  EntryPoint: z.array(z.string()).optional(),
  Command: z.array(z.string()).optional(),
  User: z.string().optional(),
  PortMappings: z.array(z.object({ ContainerPort: z.number() })).optional(),
  Environment: z.array(z.object({ Name: z.string(), Value: cfnValue })).optional(),
  Secrets: z.array(z.object({ Name: z.string(), ValueFrom: cfnValue })).optional(),
  HealthCheck: z
    .object({
      Command: z.array(z.string()),
      Interval: z.number().default(30),
      Timeout: z.number().default(5),
      Retries: z.number().default(3),
      StartPeriod: z.number().default(0),
    })
    .optional(),
  ReadonlyRootFilesystem: z.boolean().optional(),
  LinuxParameters: z.object({ InitProcessEnabled: z.boolean().optional() }).optional(),
  StopTimeout: z.number().optional(),
});
const templateSchema = z.object({
  Resources: z.record(z.string(), z.object({ Type: z.string(), Properties: z.unknown() })),
});
const assetsSchema = z.object({
  dockerImages: z
    .record(z.string(), z.object({ source: z.object({ dockerFile: z.string().optional() }) }))
    .optional(),
});

/** The synthesized stacks of one stage (`herald-<stage>-*.template.json`). */
function templates(
  stage: string,
  cdkOut: string,
): { name: string; template: z.infer<typeof templateSchema> }[] {
  if (!existsSync(cdkOut))
    throw new Error(`${cdkOut} is missing: run npx nx run @herald/infra:synth first`);
  const names = readdirSync(cdkOut).filter(
    (file) => file.startsWith(`herald-${stage}-`) && file.endsWith('.template.json'),
  );
  if (names.length === 0) throw new Error(`no herald-${stage}-* stacks in ${cdkOut}`);
  return names.map((name) => ({
    name,
    template: templateSchema.parse(JSON.parse(readFileSync(join(cdkOut, name), 'utf8'))),
  }));
}

/** Image asset hash → Dockerfile, from every `*.assets.json`. */
function dockerfiles(cdkOut: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const file of readdirSync(cdkOut).filter((name) => name.endsWith('.assets.json'))) {
    const assets = assetsSchema.parse(JSON.parse(readFileSync(join(cdkOut, file), 'utf8')));
    for (const [hash, asset] of Object.entries(assets.dockerImages ?? {}))
      if (asset.source.dockerFile) map.set(hash, asset.source.dockerFile);
  }
  return map;
}

/** Which synthesized stage to read, from which cloud assembly folder. */
export interface AssemblyOptions {
  /** `prod` unless told: the stage that matters most. */
  stage?: string;
  /** `infra/cdk.out` (what `nx run @herald/infra:synth` writes) unless told. */
  cdkOut?: string;
}

/** Every container of every ECS task definition of a stage. */
export function loadContainers({
  stage = 'prod',
  cdkOut = CDK_OUT,
}: AssemblyOptions = {}): ContainerSpec[] {
  const images = dockerfiles(cdkOut);
  const specs: ContainerSpec[] = [];
  for (const { template } of templates(stage, cdkOut)) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::ECS::TaskDefinition') continue;
      const properties = z
        .object({ Family: z.string(), ContainerDefinitions: z.array(containerSchema) })
        .parse(resource.Properties);
      for (const container of properties.ContainerDefinitions) {
        const hash = /:([0-9a-f]{64})$/.exec(JSON.stringify(container.Image).replace(/"}+$/, ''));
        const dockerfile = hash?.[1] ? images.get(hash[1]) : undefined;
        if (!dockerfile)
          throw new Error(`${properties.Family}/${container.Name}: its image is not a CDK asset`);
        specs.push(toSpec(properties.Family, dockerfile, container));
      }
    }
  }
  return specs;
}

function toSpec(
  family: string,
  dockerfile: string,
  container: z.infer<typeof containerSchema>,
): ContainerSpec {
  return {
    family,
    name: container.Name,
    dockerfile,
    entryPoint: container.EntryPoint,
    command: container.Command,
    user: container.User,
    containerPorts: (container.PortMappings ?? []).map((mapping) => mapping.ContainerPort),
    environment: (container.Environment ?? []).map((entry) => ({
      name: entry.Name,
      value: typeof entry.Value === 'string' ? entry.Value : undefined,
    })),
    secrets: (container.Secrets ?? []).map((entry) => {
      const source = JSON.stringify(entry.ValueFrom);
      return { name: entry.Name, source, jsonKey: /:(\w+)::"/.exec(source)?.[1] ?? '' };
    }),
    healthCheck: container.HealthCheck && {
      command: container.HealthCheck.Command,
      interval: container.HealthCheck.Interval,
      timeout: container.HealthCheck.Timeout,
      retries: container.HealthCheck.Retries,
      startPeriod: container.HealthCheck.StartPeriod,
    },
    readonlyRootFilesystem: container.ReadonlyRootFilesystem ?? false,
    initProcessEnabled: container.LinuxParameters?.InitProcessEnabled ?? false,
    stopTimeout: container.StopTimeout ?? 30,
  };
}

/** One container by name (`ingest`, `worker`, `migrate`); throws when the stage has none. */
export function containerNamed(name: string, options: AssemblyOptions = {}): ContainerSpec {
  const found = loadContainers(options).find((spec) => spec.name === name);
  if (!found)
    throw new Error(
      `no container named ${name} in the ${options.stage ?? 'prod'} task definitions`,
    );
  return found;
}

/** The ECS services' load balancer entries joined with their target groups' ports. */
export function loadTargets({
  stage = 'prod',
  cdkOut = CDK_OUT,
}: AssemblyOptions = {}): TargetSpec[] {
  const targets: TargetSpec[] = [];
  for (const { template } of templates(stage, cdkOut)) {
    const resources = template.Resources;
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::ECS::Service') continue;
      const { LoadBalancers = [] } = z
        .object({
          LoadBalancers: z
            .array(
              z.object({
                ContainerName: z.string(),
                ContainerPort: z.number(),
                TargetGroupArn: z.object({ Ref: z.string() }),
              }),
            )
            .optional(),
        })
        .parse(resource.Properties);
      for (const entry of LoadBalancers) {
        const group = z
          .object({ Port: z.number(), HealthCheckPath: z.string().optional() })
          .parse(resources[entry.TargetGroupArn.Ref]?.Properties);
        targets.push({
          containerName: entry.ContainerName,
          containerPort: entry.ContainerPort,
          targetGroupPort: group.Port,
          healthCheckPath: group.HealthCheckPath,
        });
      }
    }
  }
  return targets;
}
