import { mount } from 'svelte';
import App from './App.svelte';
import { markPhase } from './lib/perf/phase-marks';

markPhase('app');
mount(App, { target: document.getElementById('app')! });
