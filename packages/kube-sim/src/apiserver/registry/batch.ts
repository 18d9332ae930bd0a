/** batch/v1 Job and CronJob. Defaults follow pkg/apis/batch/v1/defaults.go and the Job strategy. */
import { defaultPodTemplate, podSpecMergeKeys } from './podspec';
import type { KindDescriptor, KObject } from './types';
import { type FieldError, invalid, required } from '../errors';
import {
  validateSelectorImmutable,
  validateWorkload,
} from '../validation/workloads';
import { deepEqual } from '../util';
import { validCronSchedule } from '../../lib/cron';

const batch = { group: 'batch', version: 'v1' };
const RESTART = ['OnFailure', 'Never'];

function defaultJobSpec(spec: KObject): void {
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  defaultPodTemplate(spec.template);
}

/**
 * The Job strategy generates the selector from the Job's uid unless spec.manualSelector is set, and puts the
 * matching labels on the template (pkg/registry/batch/job/strategy.go generateSelector).
 */
function generateSelector(job: KObject): void {
  if (job.spec.manualSelector) return;
  const uid = job.metadata.uid;
  const labels = {
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': job.metadata.name,
    'controller-uid': uid,
    'job-name': job.metadata.name,
  };
  job.spec.template ??= {};
  job.spec.template.metadata ??= {};
  job.spec.template.metadata.labels = {
    ...(job.spec.template.metadata.labels ?? {}),
    ...labels,
  };
  job.spec.selector = {
    matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
  };
}

const jobShape = {
  template: 'spec.template',
  selector: 'spec.selector',
  restartPolicies: RESTART,
};

function validateJobUpdate(job: KObject, old: KObject): FieldError[] {
  const errs = [
    ...validateWorkload(job, jobShape),
    ...validateSelectorImmutable(job, old, 'spec.selector'),
  ];
  if (!deepEqual(job.spec?.completions, old.spec?.completions))
    errs.push(
      invalid('spec.completions', job.spec?.completions, 'field is immutable'),
    );
  // The template may change only while the job is suspended (mutable scheduling directives).
  if (!old.spec?.suspend && !deepEqual(job.spec?.template, old.spec?.template))
    errs.push(
      invalid('spec.template', job.spec?.template, 'field is immutable'),
    );
  return errs;
}

const job: KindDescriptor = {
  ...batch,
  kind: 'Job',
  plural: 'jobs',
  singular: 'job',
  namespaced: true,
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  initialStatus: () => ({}),
  fieldSelectors: {
    'status.successful': o => String(o.status?.succeeded ?? 0),
  },
  mergeKeys: {
    ...podSpecMergeKeys('spec.template.spec'),
    'status.conditions': 'type',
  },
  defaulter: j => {
    j.spec ??= {};
    defaultJobSpec(j.spec);
  },
  beforeCreate: generateSelector,
  validate: j => validateWorkload(j, jobShape),
  validateUpdate: validateJobUpdate,
};

const cronJob: KindDescriptor = {
  ...batch,
  kind: 'CronJob',
  plural: 'cronjobs',
  singular: 'cronjob',
  namespaced: true,
  shortNames: ['cj'],
  categories: ['all'],
  statusSubresource: true,
  generation: true,
  initialStatus: () => ({}),
  mergeKeys: podSpecMergeKeys('spec.jobTemplate.spec.template.spec'),
  defaulter: c => {
    c.spec ??= {};
    c.spec.concurrencyPolicy ??= 'Allow';
    c.spec.suspend ??= false;
    c.spec.successfulJobsHistoryLimit ??= 3;
    c.spec.failedJobsHistoryLimit ??= 1;
    c.spec.jobTemplate ??= {};
    c.spec.jobTemplate.spec ??= {};
    defaultJobSpec(c.spec.jobTemplate.spec);
  },
  validate: c => {
    const errs = validateWorkload(c, {
      template: 'spec.jobTemplate.spec.template',
      restartPolicies: RESTART,
    });
    if (!c.spec?.schedule) errs.push(required('spec.schedule'));
    else if (!validCronSchedule(c.spec.schedule))
      errs.push(
        invalid('spec.schedule', c.spec.schedule, 'unparseable cron schedule'),
      );
    const policies = ['Allow', 'Forbid', 'Replace'];
    if (
      c.spec?.concurrencyPolicy &&
      !policies.includes(c.spec.concurrencyPolicy)
    )
      errs.push({
        type: 'FieldValueNotSupported',
        field: 'spec.concurrencyPolicy',
        value: c.spec.concurrencyPolicy,
        supported: policies,
      });
    return errs;
  },
};

export const batchKinds: KindDescriptor[] = [job, cronJob];
