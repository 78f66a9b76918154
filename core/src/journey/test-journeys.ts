// Builders shared by the journey graph tests; not exported from the package.
import type { InputIssue } from '../issues.js';
import { JourneyDefinition, type JourneyDefinitionInput, type JourneyEdge } from './definition.js';
import { validateJourneyGraph } from './validate-graph.js';

export type NodeInput = JourneyDefinitionInput['nodes'][number];

export const entry: NodeInput = {
  id: 'entry',
  type: 'entry',
  trigger: { kind: 'event', event: 'Signed Up' },
};
export const exit: NodeInput = { id: 'exit', type: 'exit' };
export const hook = (id = 'hook'): NodeInput => ({
  id,
  type: 'webhook',
  url: 'https://example.com/hook',
});
export const delay = (id = 'wait'): NodeInput => ({
  id,
  type: 'delay',
  duration: { amount: 1, unit: 'hours' },
});
export const condition = (id: string): NodeInput => ({
  id,
  type: 'condition',
  condition: { type: 'trait', trait: 'plan', op: 'eq', value: 'pro' },
});

/** An edge named after its ends, e.g. `cond-yes-exit`. */
export function edge(source: string, target: string, branch?: string): JourneyEdge {
  const id = [source, branch, target].filter(Boolean).join('-');
  return branch === undefined ? { id, source, target } : { id, source, target, branch };
}

export function journey(nodes: NodeInput[], edges: JourneyEdge[]): JourneyDefinition {
  return JourneyDefinition.parse({ nodes, edges });
}

export function codes(definition: JourneyDefinition): string[] {
  return validateJourneyGraph(definition).map((issue) => issue.code);
}

export function issueOf(definition: JourneyDefinition, code: string): InputIssue | undefined {
  return validateJourneyGraph(definition).find((issue) => issue.code === code);
}
