import { scoreClassifier, type TrainedModel } from '@junction/core';

import { trainClassifier, type TrainingRow } from './train-classifier.js';

const now = new Date('2026-03-01T02:00:00Z');
const options = { tag: 'churn_risk', tagVersion: 3, now };

/** A small seeded generator (mulberry32), so every run sees the same people. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(next: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/**
 * People whose outcome depends on the first feature only, through a logistic link:
 * P(outcome) = sigmoid(intercept + slope * x). The other two features are noise, one of
 * them missing for a tenth of the people.
 */
function plantedRows(count: number, seed: number, intercept: number, slope: number): TrainingRow[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, index) => {
    const signal = normal(next);
    const noise = 50 + 10 * normal(next);
    const sometimes = next() < 0.1 ? null : next() * 100;
    const chance = 1 / (1 + Math.exp(-(intercept + slope * signal)));
    return { id: `profile-${index}`, features: [signal, noise, sometimes], label: next() < chance };
  });
}

function shuffledLabels(rows: TrainingRow[], seed: number): TrainingRow[] {
  const next = random(seed);
  const labels = rows.map((row) => row.label);
  for (let index = labels.length - 1; index > 0; index--) {
    const other = Math.floor(next() * (index + 1));
    [labels[index], labels[other]] = [labels[other]!, labels[index]!];
  }
  return rows.map((row, index) => ({ ...row, label: labels[index]! }));
}

function trained(rows: TrainingRow[], holdoutPercent?: number): TrainedModel {
  const result = trainClassifier(rows, { ...options, holdoutPercent });
  if ('error' in result) throw new Error(result.message);
  return result;
}

describe('trainClassifier', () => {
  // Trained once: fitting thousands of people takes seconds.
  const rows = plantedRows(4000, 7, -1, 1.5);
  let model: TrainedModel;
  beforeAll(() => {
    model = trained(rows);
  });

  it('finds a planted signal and reports a holdout AUC well above 0.5', () => {
    expect(model.holdout.auc).toBeGreaterThan(0.75);
    expect(model.holdout.size + model.trainingSize).toBe(4000);
    expect(model.holdout.size).toBeGreaterThan(650);
    expect(model.holdout.size).toBeLessThan(950);
    expect(model).toMatchObject({ tag: 'churn_risk', tagVersion: 3, trainedAt: now.toISOString() });
  });

  it('reports an AUC of about 0.5 when the labels carry no signal', () => {
    const noSignal = trained(shuffledLabels(rows, 11));
    expect(Math.abs(noSignal.holdout.auc - 0.5)).toBeLessThan(0.06);
  });

  it('stores the intercept first and weights the outcome, not its opposite', () => {
    const [intercept, signal, noise, sometimes] = model.weights;
    // Standardising rescales the true weights by each feature's spread (about 1 for the signal).
    expect(model.weights).toHaveLength(4);
    expect(intercept).toBeGreaterThan(-1.25);
    expect(intercept).toBeLessThan(-0.75);
    expect(signal).toBeGreaterThan(1.2);
    expect(signal).toBeLessThan(1.8);
    expect(Math.abs(noise!)).toBeLessThan(0.15);
    expect(Math.abs(sometimes!)).toBeLessThan(0.15);
    expect(scoreClassifier(model, [2, 50, 50])).toBeGreaterThan(0.8);
    expect(scoreClassifier(model, [-2, 50, 50])).toBeLessThan(0.1);
  });

  it('standardises with the training mean and spread, leaving missing values out', () => {
    const [signal, noise, sometimes] = model.scaling;
    expect(signal!.mean).toBeCloseTo(0, 1);
    expect(signal!.std).toBeCloseTo(1, 1);
    expect(noise!.mean).toBeCloseTo(50, 0);
    expect(noise!.std).toBeCloseTo(10, 0);
    expect(sometimes!.mean).toBeGreaterThan(45);
    expect(sometimes!.mean).toBeLessThan(55);
    // A missing input sits at the mean, so it scores exactly like the mean.
    expect(scoreClassifier(model, [0.3, 50, null])).toBe(
      scoreClassifier(model, [0.3, 50, sometimes!.mean]),
    );
  });

  it('keeps each person on the same side of the split, whatever else is in the data', () => {
    const heldOut = (subset: TrainingRow[]) => trained(subset).holdout.size;
    expect(heldOut(rows.slice(0, 2000)) + heldOut(rows.slice(2000))).toBe(model.holdout.size);
  });

  it('refuses fewer than 50 training people', () => {
    expect(trainClassifier(rows.slice(0, 55), options)).toEqual({
      error: 'not_enough_data',
      message: expect.stringContaining('at least 50 people') as string,
    });
  });

  it('refuses when fewer than 5 training people have (or lack) the outcome', () => {
    const rare = rows.slice(0, 500).map((row, index) => ({ ...row, label: index < 4 }));
    expect(trainClassifier(rare, { ...options, holdoutPercent: 0 })).toEqual({
      error: 'not_enough_data',
      message: expect.stringContaining('one side of the outcome: 4, need 5') as string,
    });
  });
});
