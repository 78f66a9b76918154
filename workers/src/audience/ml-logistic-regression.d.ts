// The package ships no types; this covers the part of its API the trainer uses.
declare module 'ml-logistic-regression' {
  import type { Matrix } from 'ml-matrix';

  export default class LogisticRegression {
    constructor(options?: { numSteps?: number; learningRate?: number });
    /** One per class, one-vs-all: `classifiers[c]` scores "not class c" (see the trainer). */
    classifiers: { weights: Matrix }[];
    numberClasses: number;
    train(features: Matrix, labels: Matrix): void;
  }
}
