// Prompt templates: "{slot}" and "{slot:filter}" placeholders filled from slot values.
// Kept tiny and pure so flow validation and rendering share one parser.

export interface Localized {
  en: string;
  zh: string;
}

/** Filters a template may apply to a value; anything else is a flow validation error. */
export const TEMPLATE_FILTERS = {
  /** Last four digits: how a bank says a card or account number out loud. */
  last4: (value: string) => value.replace(/\D/g, '').slice(-4),
  /** YYYY-MM of an ISO date: statement periods are months. */
  month: (value: string) => value.slice(0, 7),
} as const satisfies Record<string, (value: string) => string>;

export type TemplateFilter = keyof typeof TEMPLATE_FILTERS;

const PLACEHOLDER = /\{([a-zA-Z_][\w.-]*)(?::([a-zA-Z0-9_]+))?\}/g;

export interface Placeholder {
  name: string;
  filter: string | null;
}

export function placeholdersOf(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({ name: m[1] ?? '', filter: m[2] ?? null }));
}

export function isTemplateFilter(name: string): name is TemplateFilter {
  return Object.hasOwn(TEMPLATE_FILTERS, name);
}

/** Missing values render as empty text rather than "{name}": a customer must never see template syntax. */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template
    .replace(PLACEHOLDER, (_all, name: string, filter: string | undefined) => {
      const value = values[name] ?? '';
      return filter !== undefined && isTemplateFilter(filter) ? TEMPLATE_FILTERS[filter](value) : value;
    })
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
