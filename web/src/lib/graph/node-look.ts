/**
 * How a node type looks on the canvas and in the palette: an icon (a plain Unicode symbol, so no icon font is
 * fetched: the Content-Security-Policy allows this origin only) and its category's colour, a CSS variable of
 * styles.css, so the dark theme re-colours it. A type without an icon of its own shows its category's.
 */
export interface NodeLook {
  icon: string;
  /** A CSS colour: `var(--category-<category>)`. */
  colour: string;
}

const CATEGORY_ICONS: Record<string, string> = {
  trigger: '▶',
  flow: '◇',
  data: '✎',
  network: '↗',
  ai: '✦',
  documents: '▤',
  vectors: '⊙',
};

const TYPE_ICONS: Record<string, string> = {
  start: '▶',
  webhook: '↯',
  schedule: '◷',
  end: '■',
  condition: '◇',
  'for-each': '↻',
  delay: '◔',
  approval: '✔',
  'run-workflow': '↪',
  set: '✎',
  code: 'λ',
  transform: '⇄',
  'database-query': '≡',
  'http-request': '↗',
  'web-search': '⌕',
  agent: '✦',
  'llm-chat': '❝',
  embeddings: '∿',
  reranker: '⇅',
  'retrieval-qa': '⁇',
  'document-loader': '▤',
  'text-splitter': '✂',
  'web-scraper': '⊞',
  retriever: '⊙',
  'vector-store-upsert': '⊕',
  'vector-store-delete': '⊖',
};

const OTHER_ICON = '•';

/**
 * Below this zoom a node's title is under 6 px high, so the canvas draws every node as a plain box in its category's
 * colour (still clickable, its borders still showing a run's status and problems): painting the text, handles and
 * rounded corners of hundreds of unreadable nodes made each frame of a pan across a large graph too slow.
 */
export const DETAIL_MIN_ZOOM = 0.4;

export function nodeLookOf(type: string, category: string | undefined): NodeLook {
  const known = category !== undefined && Object.hasOwn(CATEGORY_ICONS, category);
  return {
    icon: (Object.hasOwn(TYPE_ICONS, type) ? TYPE_ICONS[type] : undefined) ?? (known ? CATEGORY_ICONS[category] : OTHER_ICON),
    colour: `var(--category-${known ? category : 'other'})`,
  };
}
