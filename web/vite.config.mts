import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig, type Plugin } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The API the dev server forwards to; `npm run dev:web` expects `npm start` (or `npm run worker` + the API) running. */
const apiOrigin = process.env.KAI_API_ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;

/**
 * The entry (src/main.ts) only starts the page's first API requests and then imports the app (src/app.ts), a chunk
 * of its own. index.html preloads that chunk and what it imports, so the browser downloads them alongside the entry
 * rather than after it has run (and links its styles, which the import would otherwise wait for).
 */
function preloadApp(): Plugin {
  return {
    name: 'kai-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, { bundle }) {
        const chunks = Object.values(bundle ?? {}).flatMap((output) => (output.type === 'chunk' ? [output] : []));
        const app = chunks.find((chunk) => chunk.moduleIds.includes(here('src/app.ts')));
        if (!app) throw new Error('the build has no chunk for src/app.ts');
        const entry = chunks.find((chunk) => chunk.isEntry);
        const scripts = [app.fileName, ...app.imports.filter((file) => file !== entry?.fileName)];
        const styles = [...(app.viteMetadata?.importedCss ?? [])];
        return [
          ...scripts.map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
          ...styles.map((file) => ({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const })),
        ];
      },
    },
  };
}

export default defineConfig({
  root: here('.'),
  plugins: [svelte(), preloadApp()],
  resolve: {
    alias: {
      $contract: here('../contract'),
      $lib: here('src/lib'),
      $components: here('src/components'),
    },
  },
  build: { outDir: here('dist'), emptyOutDir: true, chunkSizeWarningLimit: 1200 },
  server: { proxy: { '/api': apiOrigin, '/health': apiOrigin } },
});
