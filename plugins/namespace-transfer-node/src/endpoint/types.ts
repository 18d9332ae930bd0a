import type {
  KubernetesObject,
  V1Ingress,
  V1Node,
  V1Service,
} from '@kubernetes/client-node';
import type { EndpointKind } from '@namespace-transfer/plugin-namespace-transfer-common';
import type { EndpointAddress } from '../transport';

/**
 * The subset of an OpenShift Route the engine writes and reads.
 *
 * @public
 */
export interface Route extends KubernetesObject {
  spec: {
    host?: string;
    to: { kind: 'Service'; name: string; weight?: number };
    port?: { targetPort: string | number };
    tls?: {
      termination: 'passthrough' | 'edge' | 'reencrypt';
      insecureEdgeTerminationPolicy?: string;
    };
    wildcardPolicy?: string;
  };
  status?: {
    ingress?: Array<{
      host?: string;
      routerName?: string;
      conditions?: Array<{
        type: string;
        status: string;
        reason?: string;
        message?: string;
      }>;
    }>;
  };
}

/** @public */
export interface EndpointContext {
  transferId: string;
  /** namespace of the server pod (the destination) */
  namespace: string;
  /** deterministic name of the Service (and Ingress/Route) */
  name: string;
  labels: Record<string, string>;
  /** labels of the server pod */
  selector: Record<string, string>;
  /** the server pod's exposed port (named `transfer`) */
  targetPort: number;
  /** host for Ingress (required) or Route (optional: the router assigns one) */
  host?: string;
  ingressClassName?: string;
  /** DNS suffix of in-cluster Service names */
  clusterDomain?: string;
  /** SNI for exposures that do not route by name (so that the server certificate's name is sent) */
  defaultSni: string;
}

/**
 * What the engine read back from the cluster for the objects it created.
 *
 * @public
 */
export interface ObservedExposure {
  service?: V1Service;
  ingress?: V1Ingress;
  route?: Route;
  nodes?: V1Node[];
}

/**
 * Crane's "Endpoint": how the destination's server pod is reached from the source's client pod. It says
 * which objects to create and how to read an address from them once the cluster has filled it in.
 *
 * @public
 */
export interface Endpoint {
  readonly kind: EndpointKind;
  objects(ctx: EndpointContext): KubernetesObject[];
  /** the address, or undefined while the cluster has not assigned one yet */
  address(
    ctx: EndpointContext,
    observed: ObservedExposure,
  ): EndpointAddress | undefined;
  /** what the engine waits for, for the timeout message */
  waitingFor(ctx: EndpointContext): string;
  /** the objects to re-read while waiting */
  watches: Array<'service' | 'ingress' | 'route' | 'nodes'>;
}
