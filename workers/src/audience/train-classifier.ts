import {
  featureNumber,
  holdoutBucket,
  rocAuc,
  scoreClassifier,
  type TrainedModel,
} from '@junction/core';
import LogisticRegression from 'ml-logistic-regression';
import { EigenvalueDecomposition, Matrix } from 'ml-matrix';

/** One person as training sees them: feature values in the tag's order, and the outcome. */
export interface TrainingRow {
  id: string;
  features: (number | null)[];
  label: boolean;
}

export interface TrainClassifierOptions {
  tag: string;
  tagVersion: number;
  /** People whose holdout bucket is below this are kept out of training to measure quality. */
  holdoutPercent?: number;
  now: Date;
}

export interface NotEnoughData {
  error: 'not_enough_data';
  message: string;
}

const MIN_TRAINING_ROWS = 50;
const MIN_ROWS_PER_CLASS = 5;
const GRADIENT_STEPS = 500;

/**
 * Fits a logistic regression on standardised features and measures it on a stable holdout,
 * scoring the holdout with `scoreClassifier` so training and serving share one formula.
 */
// Gradient descent runs over every row at each step and cannot heartbeat meanwhile: past this
// many rows a model gains little and the activity would risk its heartbeat timeout.
const MAX_TRAINING_ROWS = 20_000;

export function trainClassifier(
  rows: TrainingRow[],
  options: TrainClassifierOptions,
): TrainedModel | NotEnoughData {
  const holdoutPercent = options.holdoutPercent ?? 20;
  const training = evenSample(
    rows.filter((row) => holdoutBucket(row.id) >= holdoutPercent),
    MAX_TRAINING_ROWS,
  );
  const holdout = rows.filter((row) => holdoutBucket(row.id) < holdoutPercent);
  const refusal = checkEnoughData(training);
  if (refusal) return refusal;

  const featureCount = Math.max(0, ...rows.map((row) => row.features.length));
  const scaling = Array.from({ length: featureCount }, (_, index) =>
    meanAndSpread(training.map((row) => featureNumber(row.features[index]))),
  );
  const model: TrainedModel = {
    tag: options.tag,
    tagVersion: options.tagVersion,
    scaling,
    weights: fitWeights(training, scaling),
    holdout: { auc: Number.NaN, size: 0, positives: 0 },
    trainingSize: training.length,
    trainedAt: options.now.toISOString(),
  };
  return { ...model, holdout: measureHoldout(model, holdout) };
}

/** Every k-th row, so a big workspace trains in seconds on a spread of its people. */
function evenSample<T>(rows: T[], max: number): T[] {
  if (rows.length <= max) return rows;
  const stride = rows.length / max;
  return Array.from({ length: max }, (_, index) => rows[Math.floor(index * stride)]!);
}

// Scored with the serving formula, so the reported quality is the quality people will see.
function measureHoldout(model: TrainedModel, holdout: TrainingRow[]): TrainedModel['holdout'] {
  const scores = holdout.map((row) => scoreClassifier(model, row.features));
  const labels = holdout.map((row) => row.label);
  return {
    auc: rocAuc(scores, labels),
    size: holdout.length,
    positives: labels.filter(Boolean).length,
  };
}

function checkEnoughData(training: TrainingRow[]): NotEnoughData | null {
  if (training.length < MIN_TRAINING_ROWS) {
    return {
      error: 'not_enough_data',
      message: `training needs at least ${MIN_TRAINING_ROWS} people, found ${training.length}`,
    };
  }
  const positives = training.filter((row) => row.label).length;
  const smallest = Math.min(positives, training.length - positives);
  if (smallest < MIN_ROWS_PER_CLASS) {
    return {
      error: 'not_enough_data',
      message: `too few people on one side of the outcome: ${smallest}, need ${MIN_ROWS_PER_CLASS}`,
    };
  }
  return null;
}

// Missing values are left out here, and later standardised to 0 (the mean).
function meanAndSpread(values: (number | null)[]): { mean: number; std: number } {
  const present = values.filter((value): value is number => value !== null);
  if (present.length === 0) return { mean: 0, std: 0 };
  const mean = present.reduce((sum, value) => sum + value, 0) / present.length;
  const variance = present.reduce((sum, value) => sum + (value - mean) ** 2, 0) / present.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * The library fits no intercept, so a constant column of 1s comes first and its weight is the
 * intercept. It trains one-vs-all even for two classes, with `classifiers[c]` fitted to
 * "label is not c": `classifiers[0]` therefore gives the chance of the outcome (label 1).
 */
function fitWeights(training: TrainingRow[], scaling: { mean: number; std: number }[]): number[] {
  const features = new Matrix(
    training.map((row) => [
      1,
      ...scaling.map(({ mean, std }, index) => {
        const value = featureNumber(row.features[index]);
        return value === null ? 0 : (value - mean) / (std || 1);
      }),
    ]),
  );
  const labels = Matrix.columnVector(training.map((row) => (row.label ? 1 : 0)));
  const regression = new LogisticRegression({
    numSteps: GRADIENT_STEPS,
    learningRate: stableLearningRate(features),
  });
  regression.train(features, labels);
  const outcome = regression.classifiers[0];
  if (!outcome) throw new Error('logistic regression produced no classifier');
  return outcome.weights.to1DArray();
}

/**
 * The library's gradient is summed over rows, not averaged, so a fixed rate diverges on large
 * data. The log-likelihood curves at most `λmax(XᵀX) / 4`; this rate keeps every step at or
 * below 1 / curvature, comfortably under the 2 / curvature where gradient ascent turns unstable.
 */
function stableLearningRate(features: Matrix): number {
  const gram = features.transpose().mmul(features);
  const eigenvalues = new EigenvalueDecomposition(gram, { assumeSymmetric: true }).realEigenvalues;
  return 4 / Math.max(...eigenvalues, Number.EPSILON);
}
