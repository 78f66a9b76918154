import { Liquid, LiquidError } from 'liquidjs';

import type { InputIssue } from '@junction/core';

import type { TemplateInput } from './template-input.js';

// Strict filters: a misspelled filter is refused here instead of rendering nothing at send time.
const liquid = new Liquid({ strictFilters: true });

/** Liquid syntax errors in a template's subject and body, with the line and column in the message. */
export function templateSyntaxIssues(
  template: Pick<TemplateInput, 'subject' | 'body'>,
): InputIssue[] {
  const fields = [
    ['subject', template.subject],
    ['body', template.body],
  ] as const;
  return fields.flatMap(([field, text]) => {
    if (text === undefined) return [];
    try {
      liquid.parse(text);
      return [];
    } catch (error) {
      if (!(error instanceof LiquidError)) throw error;
      return [{ code: 'template.syntax', path: [field], message: error.message }];
    }
  });
}
