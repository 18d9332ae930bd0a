/**
 * The admission chain: what the real server's admission plugins and strategies do around a write that needs
 * cluster state (namespace lifecycle, IP/port allocation, service accounts), as a list of small plugins.
 * Mutating hooks (admit*) run before validation, validating hooks (validate*) after it, as in the real
 * server's two admission phases.
 */
import type { UserInfo } from '../../contracts';
import type { KindDescriptor, KObject } from '../registry/types';

/** Who asks, and whether the write is a dry run. Writes the server makes itself have no user. */
export interface AdmissionAttributes {
  user?: UserInfo;
  dryRun: boolean;
  /** set for writes through a subresource (`status`, `finalize`), which most plugins leave alone */
  subresource?: string;
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
  /** validating admission: runs after the object passed validation, just before it is stored (quota) */
  validateCreate?(
    d: KindDescriptor,
    obj: KObject,
    attrs: AdmissionAttributes,
  ): void;
  validateUpdate?(
    d: KindDescriptor,
    obj: KObject,
    old: KObject,
    attrs: AdmissionAttributes,
  ): void;
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
  validateCreate(
    d: KindDescriptor,
    obj: KObject,
    attrs: AdmissionAttributes,
  ): void {
    for (const p of this.plugins) p.validateCreate?.(d, obj, attrs);
  }
  validateUpdate(
    d: KindDescriptor,
    obj: KObject,
    old: KObject,
    attrs: AdmissionAttributes,
  ): void {
    for (const p of this.plugins) p.validateUpdate?.(d, obj, old, attrs);
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
