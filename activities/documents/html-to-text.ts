import * as cheerio from 'cheerio';

/** Elements that are page furniture or code, not the page's text. */
const DROPPED = 'script, style, noscript, template, svg, iframe, nav, footer, form, button';
/** Elements whose text starts on a new line. */
const BLOCKS = 'p, div, section, article, main, aside, header, li, ul, ol, dl, dt, dd, table, tr, h1, h2, h3, h4, h5, h6, pre, blockquote, figure, figcaption, br, hr';

export interface PageText {
  title?: string;
  text: string;
  /** Absolute URLs of the page's links (anchors dropped). */
  links: string[];
}

/** Clean text of an HTML page: furniture dropped, one line per block, runs of blank space collapsed. */
export function htmlToText(html: string, baseUrl?: string): PageText {
  const $ = cheerio.load(html);
  const title = $('title').first().text().trim() || $('h1').first().text().trim() || undefined;
  const links = baseUrl ? linksOf($, baseUrl) : [];
  $(DROPPED).remove();
  $(BLOCKS).each((_, element) => {
    $(element).before('\n').after('\n');
  });
  const text = $('body').length > 0 ? $('body').text() : $.root().text();
  return { title, text: tidy(text), links };
}

function linksOf($: cheerio.CheerioAPI, baseUrl: string): string[] {
  const links = new Set<string>();
  $('a[href]').each((_, element) => {
    try {
      const url = new URL($(element).attr('href') ?? '', baseUrl);
      url.hash = '';
      if (url.protocol === 'http:' || url.protocol === 'https:') links.add(url.toString());
    } catch {
      // an href that is not a URL links nowhere
    }
  });
  return [...links];
}

export function tidy(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line, index, lines) => line !== '' || (index > 0 && lines[index - 1] !== ''))
    .join('\n')
    .trim();
}
