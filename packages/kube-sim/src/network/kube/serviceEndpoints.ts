import type { V1Service } from '@kubernetes/client-node';
import {
  SERVICE_NAME_LABEL,
  desiredSlices,
  hasSelector,
  type SliceContent,
} from '../../controllers/endpoints/slices';
import type { EndpointSlice, Pod, Service } from '../../controllers/kube/types';
import { matchesMap } from '../../lib/selectors';
import type { Informer } from './informer';

/** The endpoints of one Service, in the shape of its EndpointSlices (ports, endpoints with conditions). */
export type ServiceEndpoints = SliceContent[];

/** What the proxy, router and DNS ask: the endpoints of a Service, looked up when needed. */
export interface EndpointSource {
  get(namespace: string, name: string): ServiceEndpoints | undefined;
}

/**
 * The Service map from what any API server has and accepts: a Service with a selector is served by the
 * pods it selects (computed here as the EndpointSlice controller would, so no controller of ours has to
 * run, and no core Endpoints, which a real API server refuses for loopback pod addresses); a Service
 * without one by the EndpointSlices labelled with its name, whoever wrote them.
 */
export function endpointSource(o: {
  services: Informer<V1Service>;
  pods: Informer<Pod>;
  slices: Informer<EndpointSlice>;
}): EndpointSource {
  return {
    get(namespace, name) {
      const service = o.services.get(namespace, name);
      if (!service) return undefined;
      const selector = service.spec?.selector;
      if (hasSelector(service)) {
        const selected = o.pods
          .items()
          .filter(
            p =>
              p.metadata?.namespace === namespace &&
              matchesMap(selector, p.metadata?.labels),
          );
        // the informer's Services are the API server's JSON, as the controllers' type says
        return desiredSlices(service as unknown as Service, selected);
      }
      return o.slices
        .items()
        .filter(
          s =>
            s.metadata?.namespace === namespace &&
            s.metadata?.labels?.[SERVICE_NAME_LABEL] === name,
        )
        .map(s => ({ ports: s.ports ?? [], endpoints: s.endpoints ?? [] }));
    },
  };
}
