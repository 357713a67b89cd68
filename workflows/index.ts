export { interpretGraph } from './interpret-graph';
