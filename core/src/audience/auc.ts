import { sha256Hex } from '../imports/sha256.js';

/**
 * The area under the ROC curve: the chance that a random positive scores above a random
 * negative, ties counting half (the Mann-Whitney U over the product of the class sizes).
 * NaN when either class is empty, since the question then has no answer.
 */
export function rocAuc(scores: number[], labels: boolean[]): number {
  if (scores.length !== labels.length) {
    throw new RangeError(`rocAuc needs one label per score (${scores.length} vs ${labels.length})`);
  }
  const positives = labels.filter(Boolean).length;
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;

  const order = scores.map((_, index) => index).sort((a, b) => scores[a]! - scores[b]!);
  let positiveRankSum = 0;
  for (let start = 0; start < order.length;) {
    let end = start + 1;
    while (end < order.length && scores[order[end]!] === scores[order[start]!]) end++;
    // Tied scores share the mean of their 1-based ranks, which is what counts a tie as half.
    const meanRank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) if (labels[order[k]!]) positiveRankSum += meanRank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}

/**
 * A stable bucket 0 to 99 for a profile id, so a person stays on the same side of a
 * training/holdout split across retrainings.
 */
export function holdoutBucket(id: string): number {
  return Number.parseInt(sha256Hex(id).slice(0, 8), 16) % 100;
}
