/** The part of ml-cart 2.1.1 (patched, see patches/ml-cart+2.1.1.patch) that the surrogate uses. */
declare module 'ml-cart' {
  import type { AbstractMatrix } from 'ml-matrix';

  /** A fitted node: inner nodes have `left`, `right`, `splitColumn` and `splitValue` (left when x < splitValue). */
  export interface CartNode {
    readonly splitColumn?: number;
    readonly splitValue?: number;
    readonly left?: CartNode;
    readonly right?: CartNode;
    /** The mean of the training values, on leaves. */
    readonly distribution?: number;
  }

  export interface RegressionOptions {
    gainFunction?: 'regression';
    splitFunction?: 'mean';
    /** A node with this many training rows or fewer becomes a leaf. */
    minNumSamples?: number;
    maxDepth?: number;
    /** Patched: for regression, the least fall in squared error a split must bring. */
    gainThreshold?: number;
  }

  export class DecisionTreeRegression {
    constructor(options?: RegressionOptions);
    root: CartNode;
    train(trainingSet: number[][] | AbstractMatrix, trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
  }

  export class DecisionTreeClassifier {
    constructor(options?: { gainFunction?: 'gini'; maxDepth?: number; minNumSamples?: number; gainThreshold?: number });
    train(trainingSet: number[][], trainingValues: number[]): void;
    predict(toPredict: number[][]): number[];
  }
}
