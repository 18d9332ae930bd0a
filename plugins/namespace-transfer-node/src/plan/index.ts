export * from './facts';
export * from './plan';
export * from './quantity';
export * from './storage';
export * from './rights';
export * from './quota';
export {
  TRANSFERABLE_ANNOTATION,
  ALLOW_TRANSFER_ANNOTATION,
  POD_SECURITY_ENFORCE,
} from './refusals';
