import '@xyflow/svelte/dist/style.css';
import './components/ui/styles.css';
import './components/ui/run-path.css';
import { startFirstRequests } from './lib/api/first-requests';
import { markPhase } from './lib/perf/phase-marks';

// The app is a chunk of its own (preloaded by index.html): the page's first API requests start here, while the
// browser still downloads and parses it.
markPhase('boot');
startFirstRequests(location.pathname);
void import('./app');
