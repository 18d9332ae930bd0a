/**
 * The admission chain: what the real server's admission plugins and strategies do around a write that needs
 * cluster state (namespace lifecycle, IP/port allocation, service accounts), as a list of small plugins.
 */
import type { KindDescriptor, KObject } from '../registry/types';

export interface AdmissionPlugin {
  admitCreate?(d: KindDescriptor, obj: KObject, dryRun: boolean): void;
  admitUpdate?(d: KindDescriptor, obj: KObject, old: KObject, dryRun: boolean): void;
  admitDelete?(d: KindDescriptor, obj: KObject): void;
  afterCreate?(d: KindDescriptor, obj: KObject): void;
  afterUpdate?(d: KindDescriptor, obj: KObject, old: KObject): void;
  afterDelete?(d: KindDescriptor, obj: KObject): void;
}

export class Admission {
  private readonly plugins: AdmissionPlugin[] = [];

  use(p: AdmissionPlugin): void {
    this.plugins.push(p);
  }

  admitCreate(d: KindDescriptor, obj: KObject, dryRun: boolean): void {
    for (const p of this.plugins) p.admitCreate?.(d, obj, dryRun);
  }
  admitUpdate(d: KindDescriptor, obj: KObject, old: KObject, dryRun: boolean): void {
    for (const p of this.plugins) p.admitUpdate?.(d, obj, old, dryRun);
  }
  admitDelete(d: KindDescriptor, obj: KObject): void {
    for (const p of this.plugins) p.admitDelete?.(d, obj);
  }
  afterCreate(d: KindDescriptor, obj: KObject): void {
    for (const p of this.plugins) p.afterCreate?.(d, obj);
  }
  afterUpdate(d: KindDescriptor, obj: KObject, old: KObject): void {
    for (const p of this.plugins) p.afterUpdate?.(d, obj, old);
  }
  afterDelete(d: KindDescriptor, obj: KObject): void {
    for (const p of this.plugins) p.afterDelete?.(d, obj);
  }
}
