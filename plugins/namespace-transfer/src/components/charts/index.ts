export { TransferCharts } from './TransferCharts';
export type { TransferChartsProps } from './TransferCharts';
export { ThroughputChart } from './ThroughputChart';
export { PhaseTimeline } from './PhaseTimeline';
export { TransfersPerDayChart } from './TransfersPerDayChart';
export type { TransfersPerDayChartProps } from './TransfersPerDayChart';
export { BytesPerDayChart } from './BytesPerDayChart';
export type { BytesPerDayChartProps } from './BytesPerDayChart';
export type { DayRange } from './dayRange';
