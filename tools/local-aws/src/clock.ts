/** Time source for the emulator's state machines, injectable so unit tests can move time by hand. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The wall clock. */
export const SYSTEM_CLOCK: Clock = { now: () => Date.now() };
