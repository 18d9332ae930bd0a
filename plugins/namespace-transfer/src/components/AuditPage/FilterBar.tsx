import { FormEvent, useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import { AuditFilters, filterProblem } from './auditFilters';
import { dayOfEnd, dayOfStart, endOfDay, startOfDay } from './dayInputs';

type TextKey = 'cluster' | 'namespace' | 'entityRef' | 'requester' | 'approver';
type DayKey = 'createdAfter' | 'createdBefore';
type DraftKey = TextKey | DayKey;
type Draft = Record<DraftKey, string>;

const TEXT_FIELDS: { key: TextKey; label: string; example: string }[] = [
  { key: 'cluster', label: 'Cluster', example: 'east' },
  { key: 'namespace', label: 'Namespace', example: 'payments' },
  {
    key: 'entityRef',
    label: 'Entity',
    example: 'component:default/payments-db',
  },
  { key: 'requester', label: 'Requester', example: 'user:default/alice' },
  { key: 'approver', label: 'Approver', example: 'user:default/bob' },
];

const DAY_FIELDS: { key: DayKey; label: string }[] = [
  { key: 'createdAfter', label: 'Created from (UTC day)' },
  { key: 'createdBefore', label: 'Created until (UTC day)' },
];

function draftOf(filters: AuditFilters): Draft {
  return {
    cluster: filters.cluster ?? '',
    namespace: filters.namespace ?? '',
    entityRef: filters.entityRef ?? '',
    requester: filters.requester ?? '',
    approver: filters.approver ?? '',
    createdAfter: dayOfStart(filters.createdAfter),
    createdBefore: dayOfEnd(filters.createdBefore),
  };
}

/** The draft as the API's filters: days become the instants the API compares with. */
function valuesOf(draft: Draft): Partial<Record<DraftKey, string>> {
  const trimmed = (v: string) => v.trim() || undefined;
  return {
    cluster: trimmed(draft.cluster),
    namespace: trimmed(draft.namespace),
    entityRef: trimmed(draft.entityRef),
    requester: trimmed(draft.requester),
    approver: trimmed(draft.approver),
    createdAfter: draft.createdAfter
      ? startOfDay(draft.createdAfter)
      : undefined,
    createdBefore: draft.createdBefore
      ? endOfDay(draft.createdBefore)
      : undefined,
  };
}

function problemsOf(
  values: Partial<Record<DraftKey, string>>,
): Partial<Record<DraftKey, string>> {
  const problems: Partial<Record<DraftKey, string>> = {};
  for (const [key, value] of Object.entries(values) as [DraftKey, string][]) {
    if (value === undefined) continue;
    const problem = filterProblem(key, value);
    if (problem) problems[key] = problem;
  }
  if (
    !problems.createdAfter &&
    !problems.createdBefore &&
    values.createdAfter &&
    values.createdBefore &&
    values.createdAfter >= values.createdBefore
  ) {
    problems.createdBefore = 'the last day must not come before the first';
  }
  return problems;
}

export interface FilterBarProps {
  filters: AuditFilters;
  onApply(filters: AuditFilters): void;
}

/**
 * The list's filters as a form: applied together with "Apply filters" (one request, not one per key), each
 * checked with the API's schema first and refused at its field with the schema's message.
 */
export function FilterBar({ filters, onApply }: FilterBarProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(filters));
  const [problems, setProblems] = useState<Partial<Record<DraftKey, string>>>(
    {},
  );
  const edit = (key: DraftKey) => (value: string) => {
    setDraft(d => ({ ...d, [key]: value }));
    setProblems(({ [key]: _gone, ...rest }) => rest);
  };

  const apply = (event: FormEvent) => {
    event.preventDefault();
    const values = valuesOf(draft);
    const found = problemsOf(values);
    setProblems(found);
    if (Object.keys(found).length > 0) return;
    onApply({ ...filters, ...values });
  };
  const clear = () => {
    setProblems({});
    onApply({ sort: filters.sort, order: filters.order });
  };

  return (
    <form aria-label="Filters" onSubmit={apply} noValidate>
      <Grid container spacing={2}>
        {TEXT_FIELDS.map(({ key, label, example }) => (
          <Grid item xs={12} sm={6} md={4} lg={3} key={key}>
            <TextField
              id={`audit-filter-${key}`}
              label={label}
              placeholder={example}
              value={draft[key]}
              onChange={e => edit(key)(e.target.value)}
              error={Boolean(problems[key])}
              helperText={problems[key]}
              // above the field like the days' labels, so that the example shows and the row lines up
              InputLabelProps={{ shrink: true }}
              fullWidth
            />
          </Grid>
        ))}
        {DAY_FIELDS.map(({ key, label }) => (
          <Grid item xs={12} sm={6} md={4} lg={3} key={key}>
            <TextField
              id={`audit-filter-${key}`}
              label={label}
              type="date"
              value={draft[key]}
              onChange={e => edit(key)(e.target.value)}
              error={Boolean(problems[key])}
              helperText={problems[key]}
              InputLabelProps={{ shrink: true }}
              fullWidth
            />
          </Grid>
        ))}
      </Grid>
      <Box display="flex" flexWrap="wrap" mt={2} style={{ gap: 8 }}>
        <Button type="submit" variant="contained" color="primary">
          Apply filters
        </Button>
        <Button variant="outlined" onClick={clear}>
          Clear filters
        </Button>
      </Box>
    </form>
  );
}
