import { SqsError } from './errors';

/** A decoded JSON request body. */
export type JsonObject = Record<string, unknown>;

/** Whether a value is a plain JSON object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(key: string, reason: string): SqsError {
  return new SqsError(
    'InvalidParameterValue',
    `Value for parameter ${key} is invalid. Reason: ${reason}.`,
  );
}

/** A string member, or undefined when absent. */
export function optionalString(input: JsonObject, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(key, 'must be a string');
  return value;
}

/** A string member that must be present. */
export function requiredString(input: JsonObject, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined) {
    throw new SqsError('MissingParameter', `The request must contain the parameter ${key}.`);
  }
  return value;
}

/** An integer member within [min, max], or undefined when absent. */
export function optionalInteger(
  input: JsonObject,
  key: string,
  min: number,
  max: number,
): number | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${shown} for parameter ${key} is invalid. Reason: Must be between ${min} and ${max}, if provided.`,
    );
  }
  return value;
}

/** A list of strings, empty when absent. */
export function stringList(input: JsonObject, key: string): string[] {
  const value = input[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw invalid(key, 'must be a list of strings');
  }
  return value;
}

/** A map of strings to strings, empty when absent. */
export function stringMap(input: JsonObject, key: string): Map<string, string> {
  const value = input[key];
  if (value === undefined || value === null) return new Map();
  if (!isJsonObject(value)) throw invalid(key, 'must be a map');
  const entries = Object.entries(value);
  if (!entries.every((entry): entry is [string, string] => typeof entry[1] === 'string')) {
    throw invalid(key, 'values must be strings');
  }
  return new Map(entries);
}

/** A list of objects (batch entries), empty when absent. */
export function objectList(input: JsonObject, key: string): JsonObject[] {
  const value = input[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isJsonObject))
    throw invalid(key, 'must be a list of objects');
  return value;
}
