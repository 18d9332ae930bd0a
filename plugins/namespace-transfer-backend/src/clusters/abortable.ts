import { KubeConfig } from '@kubernetes/client-node';

type RequestContext = Parameters<KubeConfig['applySecurityAuthentication']>[0];

/**
 * A view of `kc` whose every request carries `signal`: client-node sets no timeout of its own and takes
 * no signal per call, but it asks the KubeConfig to authenticate each request, which is where the signal
 * is attached. Every API client made from the view (the engine's too: it makes its clients from the
 * KubeConfig it is given) is then aborted with the signal, in flight or before it starts, retries
 * included. The view shares `kc`'s credentials and whatever `kc` does per request (a test's counting).
 */
export function abortableKubeConfig(
  kc: KubeConfig,
  signal: AbortSignal,
): KubeConfig {
  const view = Object.create(kc) as KubeConfig;
  view.applySecurityAuthentication = async (context: RequestContext) => {
    signal.throwIfAborted();
    await kc.applySecurityAuthentication(context);
    context.setSignal(signal);
  };
  return view;
}
