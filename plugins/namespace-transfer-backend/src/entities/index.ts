export * from './kubernetesSelector';
export * from './entityRef';
export {
  labelSelectorMatcher,
  LabelSelectorSyntaxError,
  parseLabelSelector,
} from './labelSelector';
export { equalityLabels } from './equalityLabels';
