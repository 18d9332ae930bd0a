/**
 * The admission chain: what the real server's admission plugins and strategies do around a write that needs
 * cluster state (namespace lifecycle, IP/port allocation, service accounts), as a list of small plugins.
 */
import type { UserInfo } from '../../contracts';
import type { KindDescriptor, KObject } from '../registry/types';

/** Who asks, and whether the write is a dry run. Writes the server makes itself have no user. */
export interface AdmissionAttributes {
  user?: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  admitCreate?(
    d: KindDescriptor,
    obj: KObject,
    attrs: AdmissionAttributes,
  ): void;
  admitUpdate?(
    d: KindDescriptor,
    obj: KObject,
    old: KObject,
    attrs: AdmissionAttributes,
  ): void;
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

  admitCreate(
    d: KindDescriptor,
    obj: KObject,
    attrs: AdmissionAttributes,
  ): void {
    for (const p of this.plugins) p.admitCreate?.(d, obj, attrs);
  }
  admitUpdate(
    d: KindDescriptor,
    obj: KObject,
    old: KObject,
    attrs: AdmissionAttributes,
  ): void {
    for (const p of this.plugins) p.admitUpdate?.(d, obj, old, attrs);
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
