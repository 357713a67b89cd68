import type { NodeCategoriesDto, NodeTypeDto } from '$contract/nodes';

/** The drag data type of a palette item (its value is the node type). */
export const PALETTE_MIME = 'application/x-kai-node-type';

export interface PaletteGroup {
  category: string;
  label: string;
  types: NodeTypeDto[];
}

/**
 * Node types grouped by category in the catalogue's category order, filtered by a search over label, type, keywords
 * (synonyms such as "if" for Condition) and description.
 */
export function paletteGroups(types: readonly NodeTypeDto[], categories: NodeCategoriesDto, search: string): PaletteGroup[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (type: NodeTypeDto) => words.every((word) => `${type.label} ${type.type} ${type.keywords.join(' ')} ${type.description}`.toLowerCase().includes(word));
  const order = [...Object.keys(categories), ...types.map((type) => type.category).filter((category) => !(category in categories))];
  return [...new Set(order)]
    .map((category) => ({ category, label: categories[category]?.label ?? category, types: types.filter((type) => type.category === category && matches(type)) }))
    .filter((group) => group.types.length > 0);
}

/**
 * The type Enter adds from a search: one whose label is the search, else one with the search as a keyword, else one
 * whose label starts with it, else the first shown.
 */
export function bestMatch(groups: readonly PaletteGroup[], search: string): NodeTypeDto | undefined {
  const shown = groups.flatMap((group) => group.types);
  const wanted = search.trim().toLowerCase();
  const label = (type: NodeTypeDto) => type.label.toLowerCase();
  return (
    shown.find((type) => label(type) === wanted) ??
    shown.find((type) => type.keywords.some((keyword) => keyword.toLowerCase() === wanted)) ??
    shown.find((type) => label(type).startsWith(wanted)) ??
    shown[0]
  );
}
