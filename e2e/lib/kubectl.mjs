// kubectl as a reader of the README runs it, against the demo's clusters: for the tests that show the
// Kubernetes API side of a story (the KEP's objects) the way an operator would type it.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
const KUBECTL = process.env.KUBECTL_PATH ?? 'kubectl';

/** `kubectl --context <context> <args>`, its stdout; a failure carries kubectl's stderr */
export async function kubectl(kubeconfig, context, args) {
  try {
    const { stdout } = await run(KUBECTL, ['--context', context, ...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig },
    });
    return stdout;
  } catch (e) {
    throw new Error(
      `kubectl --context ${context} ${args.join(' ')}: ${e.stderr || e.message}`,
    );
  }
}

/** one object as JSON, or undefined when it does not exist */
export async function getObject(
  kubeconfig,
  context,
  resource,
  name,
  namespace,
) {
  const out = await kubectl(kubeconfig, context, [
    'get',
    resource,
    name,
    ...(namespace ? ['-n', namespace] : []),
    '-o',
    'json',
    '--ignore-not-found',
  ]);
  return out.trim() ? JSON.parse(out) : undefined;
}

/**
 * Reads the object until `done(object)` says so; `failed(object)` (a message) ends the wait at once, so
 * that a request the controller refused is reported with its reason rather than as a timeout.
 */
export async function waitForObject(
  { kubeconfig, context, resource, name, namespace },
  { done, failed = () => undefined, what, timeoutMs },
) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await getObject(kubeconfig, context, resource, name, namespace);
    if (last && done(last)) return last;
    const why = last && failed(last);
    if (why) throw new Error(`${what}: ${why}`);
    // the next read, not a check: what is waited on is the object above
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}; last seen status: ${JSON.stringify(last?.status)}`,
  );
}
