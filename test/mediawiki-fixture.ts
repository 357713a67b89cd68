import { sendJson, type HttpFixture } from './http-fixture';

export interface WikiArticle {
  title: string;
  /** The plain-text introduction, as prop=extracts&exintro&explaintext gives it. */
  intro: string;
}

/**
 * Serves the two MediaWiki API queries the Wikipedia node makes at `/w/api.php` (formatversion 2): `list=search`
 * (an article matches when its title or intro holds every word of the query, in corpus order) and `prop=extracts`
 * (pages in reverse order of the titles asked, as the real API orders them by page id, not by request). It records
 * the requests' user agents.
 */
export function serveMediaWiki(site: HttpFixture, corpus: WikiArticle[]): { userAgents: string[] } {
  const userAgents: string[] = [];
  site.route('/w/api.php', (request, response) => {
    const params = new URL(request.url ?? '/', 'http://x').searchParams;
    userAgents.push(request.headers['user-agent'] ?? '');
    if (params.get('format') !== 'json' || params.get('formatversion') !== '2' || params.get('action') !== 'query') {
      return sendJson(response, 200, { error: { code: 'badparams', info: 'unsupported request' } });
    }
    if (params.get('list') === 'search') {
      const words = (params.get('srsearch') ?? '').toLowerCase().split(/\W+/).filter(Boolean);
      const hits = corpus.filter((article) => words.every((word) => `${article.title} ${article.intro}`.toLowerCase().includes(word)));
      const search = hits.slice(0, Number(params.get('srlimit') ?? 10)).map((article, index) => ({ ns: 0, title: article.title, pageid: index + 1, snippet: '…' }));
      return sendJson(response, 200, { batchcomplete: true, query: { searchinfo: { totalhits: hits.length }, search } });
    }
    if (params.get('prop') === 'extracts') {
      const pages = (params.get('titles') ?? '')
        .split('|')
        .map((title) => corpus.find((article) => article.title === title) ?? { title, missing: true })
        .map((page) => ('intro' in page ? { pageid: 1, ns: 0, title: page.title, extract: page.intro } : { ns: 0, title: page.title, missing: true }))
        .reverse();
      return sendJson(response, 200, { batchcomplete: true, query: { pages } });
    }
    return sendJson(response, 200, { error: { code: 'badparams', info: 'unsupported query' } });
  });
  return { userAgents };
}
