/**
 * A command-line flag's value as an integer from 1 to `max`, or an error naming the flag and the
 * range, so every bench refuses bad flags alike.
 */
export function positiveInteger(
  values: Record<string, unknown>,
  name: string,
  max = Infinity,
): number {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 1 || value > max) {
    const range = max === Infinity ? 'a positive integer' : `an integer from 1 to ${max}`;
    throw new Error(`--${name} must be ${range}`);
  }
  return value;
}
