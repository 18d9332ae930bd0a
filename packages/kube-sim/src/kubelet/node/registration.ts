import { CoreV1Api, V1Node } from '@kubernetes/client-node';
import { httpStatusOf } from '../../client/errors';
import { buildNode, readyConditions } from './nodeObject';

const HEARTBEAT_MS = 10_000;

/**
 * Registers the Node (create, or take over an existing one of the same name, as a restarted kubelet
 * does) and keeps its conditions' heartbeats fresh through the nodes/status subresource.
 */
export class NodeRegistration {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly core: CoreV1Api,
    private readonly nodeName: string,
    private readonly nodeIP: string,
  ) {}

  async register(): Promise<void> {
    const desired = await buildNode(this.nodeName, this.nodeIP);
    let node: V1Node;
    try {
      node = await this.core.createNode({
        body: { ...desired, status: undefined },
      });
    } catch (e) {
      if (httpStatusOf(e) !== 409) throw e;
      node = await this.core.readNode({ name: this.nodeName });
      node.metadata = {
        ...node.metadata,
        labels: { ...node.metadata?.labels, ...desired.metadata!.labels },
      };
      node = await this.core.replaceNode({ name: this.nodeName, body: node });
    }
    await this.writeStatus(node, desired);
    this.schedule();
  }

  /** status is a subresource: the create ignores it, so it is written separately with the node's resourceVersion */
  private async writeStatus(node: V1Node, desired: V1Node): Promise<void> {
    const body: V1Node = {
      ...node,
      status: {
        ...desired.status,
        conditions: readyConditions(new Date(), node.status?.conditions),
      },
    };
    await this.core.replaceNodeStatus({ name: this.nodeName, body });
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.heartbeat(), HEARTBEAT_MS);
  }

  private async heartbeat(): Promise<void> {
    try {
      const node = await this.core.readNode({ name: this.nodeName });
      await this.writeStatus(node, await buildNode(this.nodeName, this.nodeIP));
    } catch (e) {
      // Node deleted by someone: register again, as the real kubelet does (register schedules on).
      if (
        httpStatusOf(e) === 404 &&
        (await this.register().then(
          () => true,
          () => false,
        ))
      )
        return;
    }
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
