import { tagsFromText, textOfTags } from './tag-list';

describe('tag list', () => {
  it('splits on commas, trims, and drops empty tags and repeats', () => {
    expect(tagsFromText(' billing, ops ,,billing, nightly run ,')).toEqual(['billing', 'ops', 'nightly run']);
    expect(tagsFromText('   ')).toEqual([]);
  });

  it('writes tags back as the field shows them, which reads back the same', () => {
    const tags = ['billing', 'nightly run'];
    expect(textOfTags(tags)).toBe('billing, nightly run');
    expect(tagsFromText(textOfTags(tags))).toEqual(tags);
  });
});
