/**
 * The form widgets a schema can ask the canvas for, as `.meta(widget('…'))` on the zod schema of a field. The
 * metadata travels inside the node catalogue's JSON Schemas, so the server names the widget and the canvas draws it;
 * a field without one gets the default for its JSON type (string: one-line text, object: its fields or JSON, …).
 */
export const WIDGETS = [
  /** A picker of the workspace's credentials, of the kinds the node accepts. */
  'credential',
  /** Milliseconds or a duration text such as "30s". */
  'duration',
  /** Several lines of prose: prompts, messages, statements. */
  'multiline',
  /** Program text: a tall monospace editor, never templated. */
  'code',
  /** A JSONata expression itself, offered `$input`/`$nodes` references instead of `{{ }}` templates. */
  'expression',
  /** The Condition node's rules, edited as rows. */
  'condition-rules',
] as const;

export type Widget = (typeof WIDGETS)[number];

/** Schema metadata asking for `name`: `z.string().meta(widget('code'))`. */
export function widget(name: Widget): { widget: Widget } {
  return { widget: name };
}

/** The widget a JSON Schema (or zod metadata) asks for, if it names a known one. */
export function widgetOf(schema: Record<string, unknown>): Widget | undefined {
  const named = schema.widget;
  return WIDGETS.find((known) => known === named);
}
