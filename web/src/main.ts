import '@xyflow/svelte/dist/style.css';
import './components/ui/styles.css';
import './components/ui/run-path.css';
import { startFirstRequests } from './lib/api/first-requests';
import { markPhase } from './lib/perf/phase-marks';
import { applyTheme, resolveTheme, storedThemeChoice, systemPrefersDark } from './lib/ui/theme';

// The app is a chunk of its own (preloaded by index.html): the page's first API requests start here, while the
// browser still downloads and parses it.
markPhase('boot');
// Before anything is drawn, so a dark page never flashes light (an inline script in index.html would break the CSP).
applyTheme(document.documentElement, resolveTheme(storedThemeChoice(), systemPrefersDark()));
startFirstRequests(location.pathname);
void import('./app');
