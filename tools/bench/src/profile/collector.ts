import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { resolve } from 'node:path';
import { round } from '../proc-stats';
import { type CpuProfile, summarizeProfile, type TimeWindow } from './summary';

export interface AreaShare {
  readonly area: string;
  /** Share of the busy main-thread time, in %. */
  readonly percent: number;
  /** The share of the process's CPU per message (`percent` × `cpuMicrosPerMessage`). */
  readonly microsPerMessage: number;
}

/** One profiled scenario of a service: self time by area inside its saturation phases. */
export interface ProfileRow {
  readonly service: 'ingest' | 'worker';
  readonly scenario: string;
  /** Messages handled inside the profiled windows. */
  readonly messages: number;
  /**
   * Not-idle main-thread time per message the samples span. Wall time: on a loaded machine it
   * includes time the thread waited for a core, so the shares lead, not this figure.
   */
  readonly busyMicrosPerMessage: number;
  /** The process's CPU per message over the same windows (kernel accounting, every thread). */
  readonly cpuMicrosPerMessage: number;
  readonly areas: readonly AreaShare[];
  /** The same time with node internals charged to the package that called into node (absent in reports written before this view). */
  readonly callers?: readonly AreaShare[];
  readonly topFunctions: readonly { area: string; percent: number }[];
}

interface Mark {
  readonly service: ProfileRow['service'];
  readonly scenario: string;
  readonly pid: number;
  readonly window: TimeWindow;
  readonly messages: number;
  readonly cpuMicros: number;
}

/**
 * `--profile`: the services run under `node --cpu-prof` (the profile is written when the process
 * exits); the scenarios mark their saturation phases, and `summarize` reads each process's
 * profile once every service has stopped and sums each scenario's windows over its runs.
 */
export class ProfileCollector {
  readonly #marks: Mark[] = [];

  constructor(
    readonly dir: string,
    readonly workspace: string,
  ) {}

  /** Empties the profile folder: a profile is found by its process id, which the OS reuses. */
  async prepare(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
    await mkdir(this.dir, { recursive: true });
  }

  /** Node flags for a service under test. */
  nodeArgs(): string[] {
    return ['--cpu-prof', `--cpu-prof-dir=${this.dir}`];
  }

  mark(
    service: Mark['service'],
    scenario: string,
    pid: number,
    window: TimeWindow,
    messages: number,
    cpuMicros: number,
  ) {
    this.#marks.push({ service, scenario, pid, window, messages, cpuMicros });
  }

  /** One row per (service, scenario), in the order first marked. Call after the services exit. */
  async summarize(): Promise<ProfileRow[]> {
    const files = await readdir(this.dir);
    const profiles = new Map<number, CpuProfile>();
    for (const pid of new Set(this.#marks.map((mark) => mark.pid))) {
      // Node names it CPU.<date>.<time>.<pid>.<thread>.<sequence>.cpuprofile.
      const file = files.find((name) => name.split('.')[3] === String(pid));
      if (!file) throw new Error(`no CPU profile of process ${pid} in ${this.dir}`);
      profiles.set(pid, JSON.parse(await readFile(resolve(this.dir, file), 'utf8')) as CpuProfile);
    }
    const groups = new Map<string, Mark[]>();
    for (const mark of this.#marks) {
      const key = `${mark.service}\u0000${mark.scenario}`;
      groups.set(key, [...(groups.get(key) ?? []), mark]);
    }
    return [...groups.values()].map((marks) => this.#row(marks, profiles));
  }

  #row(marks: readonly Mark[], profiles: ReadonlyMap<number, CpuProfile>): ProfileRow {
    const first = marks[0];
    if (!first) throw new Error('no marks');
    const messages = marks.reduce((sum, mark) => sum + mark.messages, 0);
    const cpuPerMessage =
      marks.reduce((sum, mark) => sum + mark.cpuMicros, 0) / Math.max(1, messages);
    const areas = new Map<string, number>();
    const callers = new Map<string, number>();
    const functions = new Map<string, number>();
    let busy = 0;
    for (const [pid, profile] of profiles) {
      const windows = marks.filter((mark) => mark.pid === pid).map((mark) => mark.window);
      if (windows.length === 0) continue;
      const summary = summarizeProfile(profile, windows, this.workspace);
      busy += summary.busyMicros;
      for (const area of summary.areas)
        areas.set(area.area, (areas.get(area.area) ?? 0) + area.selfMicros);
      for (const area of summary.callers)
        callers.set(area.area, (callers.get(area.area) ?? 0) + area.selfMicros);
      for (const fn of summary.topFunctions)
        functions.set(fn.area, (functions.get(fn.area) ?? 0) + fn.selfMicros);
    }
    const share = (micros: number) => (busy === 0 ? 0 : round((micros / busy) * 100, 1));
    const sorted = (entries: Map<string, number>) => [...entries].sort((a, b) => b[1] - a[1]);
    const shares = (entries: Map<string, number>): AreaShare[] =>
      sorted(entries).map(([area, micros]) => ({
        area,
        percent: share(micros),
        // The sampled share of the kernel-counted CPU: sample spans are wall time.
        microsPerMessage: busy === 0 ? 0 : round((micros / busy) * cpuPerMessage, 1),
      }));
    return {
      service: first.service,
      scenario: first.scenario,
      messages,
      busyMicrosPerMessage: round(busy / Math.max(1, messages), 1),
      cpuMicrosPerMessage: round(cpuPerMessage, 1),
      areas: shares(areas),
      callers: shares(callers),
      topFunctions: sorted(functions)
        .slice(0, 8)
        .map(([area, micros]) => ({ area, percent: share(micros) })),
    };
  }
}
