export * from './kubernetesSelector';
