export { TransferCharts } from './TransferCharts';
export type { TransferChartsProps } from './TransferCharts';
export { ThroughputChart } from './ThroughputChart';
export { PhaseTimeline } from './PhaseTimeline';
