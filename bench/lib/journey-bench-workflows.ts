// The worker bundle's entry for the journeys bench: the product's workflows and the baseline.
export * from '@junction/workflows';
export { benchBaseline } from './baseline-workflow.js';
