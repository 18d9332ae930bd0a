import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  Plan,
  TransferRequest,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { NamespaceTransferApi, namespaceTransferApiRef } from '../../api';
import { errorMessage } from './errorMessage';
import { useDebouncedValue } from './useDebouncedValue';

/** The plan of one claim, or why the backend could not make it. */
export interface PlanResult {
  claim: string;
  plan?: Plan;
  error?: string;
}

export interface PlansState {
  /** the latest plans received; `stale` when the form changed since */
  results?: PlanResult[];
  stale: boolean;
}

type PlanRequest = { claim: string; request: TransferRequest };

/** a batch's claims are planned a few at a time: each plan reads both clusters */
const PARALLEL_PLANS = 3;

async function planAll(
  api: NamespaceTransferApi,
  requests: PlanRequest[],
): Promise<PlanResult[]> {
  const results: PlanResult[] = new Array(requests.length);
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const i = next++;
      const { claim, request } = requests[i];
      try {
        results[i] = { claim, plan: await api.planTransfer(request) };
      } catch (e) {
        results[i] = { claim, error: errorMessage(e) };
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(PARALLEL_PLANS, requests.length) }, worker),
  );
  return results;
}

/**
 * The backend's plans of the requests once the form rests for `delayMs`; a newer form wins over an answer
 * still on its way for an older one.
 */
export function usePlans(
  requests: PlanRequest[] | undefined,
  delayMs: number,
): PlansState {
  const api = useApi(namespaceTransferApiRef);
  // the text is the dependency: a form rebuilt with equal content asks nothing new
  const key = requests ? JSON.stringify(requests) : undefined;
  const settledKey = useDebouncedValue(key, delayMs);
  const [done, setDone] = useState<{ key: string; results: PlanResult[] }>();

  useEffect(() => {
    if (settledKey === undefined) return undefined;
    let latest = true;
    planAll(api, JSON.parse(settledKey) as PlanRequest[]).then(results => {
      if (latest) setDone({ key: settledKey, results });
    });
    return () => {
      latest = false;
    };
  }, [api, settledKey]);

  return { results: done?.results, stale: done?.key !== key };
}
