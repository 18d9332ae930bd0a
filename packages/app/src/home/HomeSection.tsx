import { ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';

export interface HomeSectionProps {
  /** Names the section for assistive technology and tests (`region` role). */
  id: string;
  title: string;
  subheader?: ReactNode;
  /** Half the width on wide screens; a section listing things takes the whole width. */
  narrow?: boolean;
  children: ReactNode;
}

/** One section of the home page; each thing a person can do here has its own. */
export function HomeSection(props: HomeSectionProps) {
  const { id, title, subheader, narrow, children } = props;
  return (
    <Grid item xs={12} md={narrow ? 6 : 12}>
      <section aria-labelledby={`home-section-${id}`}>
        <InfoCard
          title={<span id={`home-section-${id}`}>{title}</span>}
          // One flex item, so that links in the text flow with it.
          subheader={subheader && <span>{subheader}</span>}
        >
          {children}
        </InfoCard>
      </section>
    </Grid>
  );
}
