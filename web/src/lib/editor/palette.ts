import type { NodeCategoriesDto, NodeTypeDto } from '$contract/nodes';

/** The drag data type of a palette item (its value is the node type). */
export const PALETTE_MIME = 'application/x-kai-node-type';

export interface PaletteGroup {
  category: string;
  label: string;
  types: NodeTypeDto[];
}

/** Node types grouped by category in the catalogue's category order, filtered by a search over label, type and description. */
export function paletteGroups(types: readonly NodeTypeDto[], categories: NodeCategoriesDto, search: string): PaletteGroup[] {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (type: NodeTypeDto) => words.every((word) => `${type.label} ${type.type} ${type.description}`.toLowerCase().includes(word));
  const order = [...Object.keys(categories), ...types.map((type) => type.category).filter((category) => !(category in categories))];
  return [...new Set(order)]
    .map((category) => ({ category, label: categories[category]?.label ?? category, types: types.filter((type) => type.category === category && matches(type)) }))
    .filter((group) => group.types.length > 0);
}
