import type { TrainedModel } from './definitions.js';

/** A model input as a number: booleans are 0 or 1; anything else that is not a number is missing. */
export function featureNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return null;
}

/**
 * The probability a trained classifier gives one person. A missing input is taken at the
 * training mean, so it pushes the score neither way.
 */
export function scoreClassifier(model: TrainedModel, inputs: unknown[]): number {
  let z = model.weights[0] ?? 0;
  model.scaling.forEach(({ mean, std }, index) => {
    const value = featureNumber(inputs[index]);
    const standardised = value === null ? 0 : (value - mean) / (std || 1);
    z += (model.weights[index + 1] ?? 0) * standardised;
  });
  return 1 / (1 + Math.exp(-z));
}
