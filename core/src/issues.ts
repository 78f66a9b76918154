/**
 * A problem found in user input, shaped like a zod issue so the API can return validation
 * failures and domain failures (graph checks, storage-key checks) in one body.
 */
export interface InputIssue {
  /** Stable, machine-readable code, e.g. `journey.unreachable_node`. */
  code: string;
  /** Path of the offending field inside the submitted document. */
  path: (string | number)[];
  message: string;
  /** Set when the issue belongs to one journey node, so the studio can draw it there. */
  nodeId?: string;
  /** Set when the issue belongs to one journey edge. */
  edgeId?: string;
}
