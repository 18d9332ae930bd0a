import { Fragment } from 'react';

/** A `cluster/namespace/claim` path that may wrap after each slash, never inside a name. */
export function BreakablePath({ path }: { path: string }) {
  return (
    <>
      {path.split('/').map((part, i) => (
        <Fragment key={i}>
          {i > 0 && (
            <>
              /<wbr />
            </>
          )}
          {part}
        </Fragment>
      ))}
    </>
  );
}
