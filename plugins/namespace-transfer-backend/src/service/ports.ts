import type {
  CutoverWindow,
  Plan,
  TransferSpec,
} from '@namespace-transfer/plugin-namespace-transfer-common';

/**
 * The engine's dry run behind a port: at creation the workflow stores the plan people approve, and the
 * `plans` route shows it. The real one reads both clusters (enginePlanner.ts); tests may give a fake.
 */
export interface Planner {
  /** reads the clusters, writes nothing; a plan with refusals is an answer, not an error */
  plan(spec: TransferSpec): Promise<Plan>;
}

/** A storage class as a destination picker shows it. */
export interface StorageClassInfo {
  name: string;
  isDefault: boolean;
}

/** What the workflow reads of the configured clusters besides plans. */
export interface ClusterFacts {
  /** the names of the configured clusters */
  names(): string[];
  /** the claims of a namespace, by name (a batch of a whole namespace) */
  claims(cluster: string, namespace: string): Promise<string[]>;
  storageClasses(cluster: string): Promise<StorageClassInfo[]>;
}

/** When a staged transfer may cut over (namespaceTransfer.maintenanceWindows). */
export interface CutoverWindows {
  allows(at: Date): boolean;
  /** the windows as a person reads them, for a refusal */
  describe(): string;
  /** the windows as the portal shows them (none: any time) */
  list(): CutoverWindow[];
}
