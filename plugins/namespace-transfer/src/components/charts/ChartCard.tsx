import { ReactElement } from 'react';
import { InfoCard } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { ResponsiveContainer } from 'recharts';
import { Figures, FiguresTable } from './FiguresTable';

/** Charts draw at this height; the width follows the card. */
export const CHART_HEIGHT = 240;

// Drawn at this size until the container has measured itself (and where it cannot: without ResizeObserver).
const INITIAL_SIZE = { width: 640, height: CHART_HEIGHT };

export interface ChartCardProps {
  title: string;
  subtitle?: string;
  /** what to say instead of an empty chart */
  emptyText: string;
  figures: Figures;
  /** a recharts chart; drawn only when there are figures */
  children: ReactElement;
  height?: number;
}

/** A titled card with a chart and the same figures as a table, or a sentence when there is nothing to draw. */
export function ChartCard({
  title,
  subtitle,
  emptyText,
  figures,
  children,
  height = CHART_HEIGHT,
}: ChartCardProps) {
  return (
    <InfoCard title={title} subheader={subtitle}>
      {figures.rows.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {emptyText}
        </Typography>
      ) : (
        <>
          {/* the table below carries the figures to assistive technology: the drawing is hidden from it
              (and so must hold nothing focusable, hence the charts' accessibilityLayer off) */}
          <div aria-hidden="true" style={{ width: '100%', height }}>
            <ResponsiveContainer
              width="100%"
              height={height}
              initialDimension={{ ...INITIAL_SIZE, height }}
            >
              {children}
            </ResponsiveContainer>
          </div>
          <FiguresTable figures={figures} />
        </>
      )}
    </InfoCard>
  );
}
