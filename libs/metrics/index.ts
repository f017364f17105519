export { Metrics, type MetricSources } from './metrics';
