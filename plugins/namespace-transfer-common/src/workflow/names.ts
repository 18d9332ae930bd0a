import { z } from 'zod';

/*
 * Kubernetes' own name rules, so that a request with a name the API server would refuse is a 400 that says
 * the rule before anything is planned or stored.
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A claim name: a DNS-1123 subdomain, as the API server requires of a PersistentVolumeClaim.
 *
 * @public
 */
export const claimNameSchema = (what: string) =>
  z
    .string({ required_error: `${what} is required` })
    .max(253, `${what} must be at most 253 characters (a DNS-1123 subdomain)`)
    .regex(
      DNS1123_SUBDOMAIN,
      `${what} must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. payments-db-data`,
    );

/**
 * A namespace name: a DNS-1123 label.
 *
 * @public
 */
export const namespaceNameSchema = (what: string) =>
  z
    .string({ required_error: `${what} is required` })
    .max(63, `${what} must be at most 63 characters (a DNS-1123 label)`)
    .regex(
      DNS1123_LABEL,
      `${what} must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit`,
    );

/**
 * A cluster as named in kubernetes.clusterLocatorMethods; the backend checks it is configured.
 *
 * @public
 */
export const clusterNameSchema = (what: string) =>
  z
    .string({ required_error: `${what} is required` })
    .min(1, `${what} must name a configured cluster`)
    .max(253, `${what} must be at most 253 characters`);

/**
 * `kind:namespace/name`, the full form, as the catalog stringifies entity references.
 *
 * @public
 */
export const entityRefSchema = (what: string) =>
  z
    .string({ required_error: `${what} is required` })
    .max(1024, `${what} is too long`)
    .regex(
      /^[^:/\s]+:[^:/\s]+\/[^:/\s]+$/,
      `${what} must have the form kind:namespace/name, e.g. component:default/payments-db`,
    );

/**
 * A Kubernetes quantity of bytes, e.g. `10Gi`, `500M`, `1073741824`.
 *
 * @public
 */
export const sizeSchema = z
  .string()
  .max(32, 'size is too long')
  .regex(
    /^[0-9]+(\.[0-9]+)?([KMGTPE]i?|[eE][0-9]+)?$/,
    'size must be a Kubernetes quantity of bytes, e.g. 10Gi or 500M',
  );
