/** Tags as typed into one text field: separated by commas, trimmed, empty ones and repeats dropped (first kept). */
export function tagsFromText(text: string): string[] {
  return [...new Set(text.split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))];
}

/** The tags as the text field shows them. */
export function textOfTags(tags: readonly string[]): string {
  return tags.join(', ');
}
