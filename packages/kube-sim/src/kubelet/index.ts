export { startKubelet } from './kubelet';
