import { Liquid } from 'liquidjs';

/** What a template can read: `{{ profile.first_name }}`, `{{ event.total }}`, `{{ tags.tier }}`. */
export interface TemplateScope {
  /** The person's traits, decoded. */
  profile: Record<string, unknown>;
  tags: Record<string, unknown>;
  /** The properties of the event that entered the person, decoded; empty without one. */
  event: Record<string, unknown>;
  journey: { id: string; version: number; nodeId: string };
}

export interface RenderedMessage {
  subject?: string;
  body: string;
}

// Templates come from marketers: bound their cost, and let them read data, never prototypes.
const engine = new Liquid({
  ownPropertyOnly: true,
  strictFilters: true,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
  // No file system: `{% include %}` and `{% render %}` would otherwise read the worker's files.
  templates: {},
});

/** Renders a template's subject and body; throws on a template Liquid cannot parse or run. */
export async function renderTemplate(
  template: { subject?: string; body: string },
  scope: TemplateScope,
): Promise<RenderedMessage> {
  const context = { ...scope };
  const body = String(await engine.parseAndRender(template.body, context));
  if (template.subject === undefined) return { body };
  return { subject: String(await engine.parseAndRender(template.subject, context)), body };
}
