import {
  CoreV1Api,
  type V1PersistentVolumeClaim,
  type V1Pod,
  type KubernetesObject,
} from '@kubernetes/client-node';
import {
  endpointFor,
  waitForAddress,
  type EndpointContext,
  type ObservedExposure,
  type Route,
} from '../endpoint';
import {
  Objects,
  followLog,
  podStartTrouble,
  pollUntil,
  waitForPods,
} from '../kube';
import { inheritedMetadata } from '../naming/inherit';
import {
  LABEL_TRANSFER_ID,
  COPIED_FROM,
  TRANSFERRED_BY,
  TRANSFERRED_TO,
  objectName,
  transferLabels,
  transferSelector,
} from '../naming';
import {
  clientIdentity,
  containerSecurityContext,
  permissionRepair,
  podSecurityContext,
} from '../permissions';
import {
  createTransferCredentials,
  serverNameFor,
  type TransferCredentials,
} from '../pki';
import { buildConfigMap, buildPod, buildSecret } from '../pods';
import {
  DEFAULT_PORTS,
  POD_LAYOUT,
  mergeSides,
  type ModuleSpec,
} from '../sides';
import {
  DEFAULT_CLIENT_OPTIONS,
  transferFor,
  type MoverClientOptions,
  type MoverRunResult,
  type Transfer,
} from '../transfer';
import {
  SECRET_KEYS,
  transportFor,
  type EndpointAddress,
  type SeamContext,
  type Transport,
} from '../transport';
import {
  httpStatus,
  readableError,
  retryOnConflict,
  withRetry,
} from '../clusters';
import { mountsClaim } from '../usage';
import { DEFAULT_IMAGE, type CopyOptions, type SyncRunResult } from './types';

const MODULE = 'data';

/**
 * One client run: a sync (a re-sync deletes what the source lost), a comparison, or both in one pod.
 *
 * @public
 */
export type SyncOptions = Pick<
  MoverClientOptions,
  'verify' | 'verifyAfterSync'
> & {
  resync: boolean;
  /** the application is quiesced: no pod of it pins the client to a node */
  appStopped?: boolean;
};

/**
 * The objects of one copy and the operations on them. Every operation is idempotent: it finds what an
 * earlier (crashed) run made by its deterministic name and transfer-id label.
 *
 * @public
 */
export class CopySession {
  readonly id: string;
  readonly src: Objects;
  readonly dst: Objects;
  readonly mover: Transfer;
  readonly transport: Transport;
  readonly modules: ModuleSpec[] = [{ name: MODULE }];
  private readonly image: string;
  private clientConfig?: Promise<unknown>;

  constructor(private readonly o: CopyOptions) {
    this.id = o.spec.id;
    this.src = new Objects(o.source);
    this.dst = new Objects(o.destination);
    const mover = transferFor(o.plan.mover);
    if (!mover) throw new Error(`mover ${o.plan.mover} is not available`);
    this.mover = mover;
    this.transport = transportFor(o.plan.transport);
    this.image = o.image ?? o.spec.options?.image ?? DEFAULT_IMAGE;
  }

  private get srcNs() {
    return this.o.spec.source.namespace;
  }

  private get dstNs() {
    return this.o.spec.destination.namespace;
  }

  /**
   * The new PVC, with the source claim's labels and annotations (see inheritedMetadata) and its size as
   * the source wrote it. Not waited for: with WaitForFirstConsumer it binds when the server pod is
   * scheduled.
   */
  async provisionDestination(): Promise<void> {
    const d = this.o.plan.destination;
    const source = await this.src.read<V1PersistentVolumeClaim>(
      this.sourceClaimHeader(),
    );
    if (!source)
      throw new Error(
        `source PVC ${this.srcNs}/${this.o.spec.source.name} is gone`,
      );
    const inherited = inheritedMetadata(source.metadata ?? {}, {
      labels: this.o.spec.destination.labels,
    });
    const size =
      this.o.spec.destination.size ??
      source.status?.capacity?.storage ??
      source.spec?.resources?.requests?.storage ??
      String(d.sizeBytes ?? this.o.plan.source.capacityBytes);
    const pvc: V1PersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: d.name,
        namespace: d.namespace,
        labels: { ...inherited.labels, ...transferLabels(this.id) },
        annotations: {
          ...inherited.annotations,
          [COPIED_FROM]: `${this.o.spec.source.cluster}/${this.srcNs}/${this.o.spec.source.name}`,
        },
      },
      // the access modes the source's workloads rely on (ReadWriteMany stays shareable)
      spec: {
        accessModes: source.spec?.accessModes?.length
          ? source.spec.accessModes
          : ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        ...(d.storageClassName ? { storageClassName: d.storageClassName } : {}),
        resources: { requests: { storage: size } },
      },
    };
    await this.dst.ensure(pvc, this.id);
  }

  endpointContext(): EndpointContext {
    const name = objectName(this.id, 'endpoint');
    return {
      transferId: this.id,
      namespace: this.dstNs,
      name,
      labels: transferLabels(this.id, 'endpoint'),
      selector: transferLabels(this.id, 'server'),
      targetPort: DEFAULT_PORTS.exposed,
      host: this.o.ingressDomain
        ? `${name}-${this.dstNs}.${this.o.ingressDomain}`
        : undefined,
      ingressClassName: this.o.spec.options?.ingressClassName,
      defaultSni: serverNameFor(this.id),
    };
  }

  async expose(): Promise<EndpointAddress> {
    const kind = this.o.plan.endpoint;
    if (!kind) throw new Error('the plan has no endpoint');
    const endpoint = endpointFor(kind);
    const ctx = this.endpointContext();
    for (const obj of endpoint.objects(ctx))
      await this.dst.ensure(obj, this.id);
    const header = (apiVersion: string, k: string): KubernetesObject => ({
      apiVersion,
      kind: k,
      metadata: { name: ctx.name, namespace: ctx.namespace },
    });
    const read = async (): Promise<ObservedExposure> => {
      const observed: ObservedExposure = {};
      if (endpoint.watches.includes('service'))
        observed.service = await this.dst.read(header('v1', 'Service'));
      if (endpoint.watches.includes('ingress'))
        observed.ingress = await this.dst.read(
          header('networking.k8s.io/v1', 'Ingress'),
        );
      if (endpoint.watches.includes('route'))
        observed.route = await this.dst.read<Route>(
          header('route.openshift.io/v1', 'Route'),
        );
      if (endpoint.watches.includes('nodes')) {
        observed.nodes = (
          await withRetry(() =>
            this.o.destination.makeApiClient(CoreV1Api).listNode(),
          )
        ).items;
      }
      return observed;
    };
    return waitForAddress(endpoint, ctx, {
      read,
      timeoutMs: this.o.timeouts?.endpointMs ?? 120_000,
      signal: this.o.signal,
    });
  }

  seamContext(credentials: TransferCredentials): SeamContext {
    return {
      transferId: this.id,
      credentials,
      layout: POD_LAYOUT,
      ports: DEFAULT_PORTS,
      image: this.image,
      securityContext: containerSecurityContext(),
    };
  }

  private secretHeaders() {
    const secret = (name: string, namespace: string) => ({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace },
    });
    return {
      server: secret(objectName(this.id, 'server'), this.dstNs),
      client: secret(objectName(this.id, 'client'), this.srcNs),
    };
  }

  /**
   * Key material and configs, in Secrets of both namespaces (made inside a step, so a resume after the
   * clean-up makes none again). The CA key is gone once the certificates are issued, so a half-made set
   * (crash in between) is replaced as a whole. Returns nothing: the checkpoint must hold no secret.
   */
  async issueCredentials(address: EndpointAddress): Promise<void> {
    const h = this.secretHeaders();
    if ((await this.dst.read(h.server)) && (await this.src.read(h.client)))
      return;
    await this.dst.remove(h.server);
    await this.src.remove(h.client);
    await this.dst.remove({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: objectName(this.id, 'server'), namespace: this.dstNs },
    });
    const credentials = await createTransferCredentials({
      transferId: this.id,
      serverAltNames: [address.host],
    });
    const ctx = this.seamContext(credentials);
    const server = this.serverSide(ctx);
    const client = this.clientSide(ctx, address);
    await this.dst.ensure(
      buildSecret(
        h.server.metadata.name,
        this.dstNs,
        transferLabels(this.id, 'credentials'),
        server.secretData,
      ),
      this.id,
    );
    await this.src.ensure(
      buildSecret(
        h.client.metadata.name,
        this.srcNs,
        transferLabels(this.id, 'credentials'),
        client.secretData,
      ),
      this.id,
    );
  }

  /** The credentials the server and client pods are made with, read back from the two Secrets. */
  async readCredentials(): Promise<TransferCredentials> {
    type SecretObject = { data?: Record<string, string> } & KubernetesObject;
    const h = this.secretHeaders();
    const server = await this.dst.read<SecretObject>(h.server);
    const client = await this.src.read<SecretObject>(h.client);
    if (!server || !client)
      throw new Error(
        `the transfer's key material is gone (Secret ${!server ? `${this.dstNs}/${h.server.metadata.name}` : `${this.srcNs}/${h.client.metadata.name}`} is missing): cancel the transfer and request it again`,
      );
    return this.credentialsFromSecrets(server.data ?? {}, client.data ?? {});
  }

  /** Rebuilds the credentials a resumed engine needs from the two Secrets (only the sides' own keys). */
  private credentialsFromSecrets(
    server: Record<string, string>,
    client: Record<string, string>,
  ): TransferCredentials {
    const dec = (v: string | undefined) =>
      Buffer.from(v ?? '', 'base64').toString('utf8');
    const password =
      dec(client['rsync.password']).trim() ||
      dec(server['rsyncd.secrets']).split(':')[1]?.trim() ||
      '';
    return {
      transferId: this.id,
      caPem: dec(server[SECRET_KEYS.ca]),
      server: {
        certPem: dec(server[SECRET_KEYS.cert]),
        keyPem: dec(server[SECRET_KEYS.key]),
      },
      client: {
        certPem: dec(client[SECRET_KEYS.cert]),
        keyPem: dec(client[SECRET_KEYS.key]),
      },
      serverName: serverNameFor(this.id),
      clientName: `client.${this.id}.transfer.namespace-transfer.io`,
      moverUser: 'nstransfer',
      moverPassword: password,
    };
  }

  private serverSide(ctx: SeamContext) {
    return mergeSides(
      this.transport.server(ctx),
      this.mover.server({
        ...ctx,
        modules: this.modules,
        listen: this.transport.moverListen(ctx),
      }),
    );
  }

  private clientSide(
    ctx: SeamContext,
    address: EndpointAddress,
    run: SyncOptions = { resync: false },
    totals: MoverClientOptions['totals'] = 'dry-run',
  ) {
    const { resync, verify, verifyAfterSync } = run;
    const identity = this.o.plan.identity;
    return mergeSides(
      this.transport.client(ctx, address),
      this.mover.client({
        ...ctx,
        modules: this.modules,
        connect: this.transport.moverConnect(ctx, address),
        connectReadyFile: this.transport.clientReadyFile?.(ctx),
        endpoint: address,
        remoteLayout: POD_LAYOUT,
        options: {
          ...DEFAULT_CLIENT_OPTIONS,
          delete: resync,
          totals,
          verify,
          verifyAfterSync,
          maxAttempts:
            this.o.spec.options?.maxAttempts ??
            DEFAULT_CLIENT_OPTIONS.maxAttempts,
          permissions: identity
            ? permissionRepair(identity)
            : DEFAULT_CLIENT_OPTIONS.permissions,
        },
      }),
    );
  }

  async startServer(credentials: TransferCredentials): Promise<V1Pod> {
    const ctx = this.seamContext(credentials);
    const side = this.serverSide(ctx);
    const name = objectName(this.id, 'server');
    await this.dst.ensure(
      buildConfigMap(
        name,
        this.dstNs,
        transferLabels(this.id, 'config'),
        side.configData,
      ),
      this.id,
    );
    const identity = this.o.plan.identity;
    if (!identity)
      throw new Error('the plan has no identity for the destination');
    await this.dst.ensure(
      buildPod({
        name,
        namespace: this.dstNs,
        labels: transferLabels(this.id, 'server'),
        side,
        claims: [
          {
            module: MODULE,
            claimName: this.o.plan.destination.name,
            readOnly: false,
          },
        ],
        secretName: name,
        configMapName: name,
        securityContext: podSecurityContext(identity),
        restartPolicy: 'Always',
        resources: this.o.plan.moverResources?.destination,
      }),
      this.id,
    );
    return waitForPods(
      this.o.destination,
      this.dstNs,
      pods => {
        const pod = pods.find(p => p.metadata?.name === name);
        if (pod?.status?.phase === 'Failed')
          throw new Error(
            `server pod ${this.dstNs}/${name} failed: ${pod.status.message ?? ''}`,
          );
        const trouble = pod && podStartTrouble(pod);
        if (trouble)
          throw new Error(
            `server pod ${this.dstNs}/${name} cannot start: ${trouble}`,
          );
        return pod?.status?.conditions?.some(
          c => c.type === 'Ready' && c.status === 'True',
        )
          ? pod
          : undefined;
      },
      {
        fieldSelector: `metadata.name=${name}`,
        timeoutMs: this.o.timeouts?.podReadyMs ?? 120_000,
        signal: this.o.signal,
        what: `server pod ${this.dstNs}/${name} to become Ready`,
      },
    );
  }

  /** Runs one client pod to completion, streaming its mover's progress; `run` names the pod (stage-1, final). */
  async sync(
    run: string,
    credentials: TransferCredentials,
    address: EndpointAddress,
    opts: SyncOptions,
  ): Promise<SyncRunResult> {
    const started = Date.now();
    const maxPods = 3;
    for (let n = 1; ; n++) {
      const { result, killed } = await this.syncOnce(
        run,
        credentials,
        address,
        opts,
        n === 1,
      );
      // the mover retries inside its pod; a pod whose processes were killed (node trouble, OOM, eviction)
      // is replaced: --partial and the re-sync make the next one continue rather than start over
      if (result.ok || !killed || n >= maxPods)
        return { run, result, durationMs: Date.now() - started };
      this.o.onEvent?.({
        type: 'warning',
        message: `${run}: client pod was killed (${killed}); starting it again (${n + 1}/${maxPods})`,
      });
    }
  }

  private async syncOnce(
    run: string,
    credentials: TransferCredentials,
    address: EndpointAddress,
    opts: SyncOptions,
    firstPod: boolean,
  ): Promise<{ result: MoverRunResult; killed?: string }> {
    const ctx = this.seamContext(credentials);
    const podName = objectName(this.id, 'client').replace(
      /-client$/,
      `-client-${run}`,
    );
    const existing = await this.src.read<V1Pod>({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, namespace: this.srcNs },
    });
    // Progress totals: a delta after staging is small, and a dry run would walk the whole tree again
    // inside the downtime (rsync's own percentage is good enough for it). The first sync into the new
    // volume sends the whole source, which the client counts locally. After an earlier pod of this run
    // (a crash, a killed pod), the destination holds part of it: only the server knows what is left.
    let totals: MoverClientOptions['totals'] = 'dry-run';
    if (opts.resync) totals = 'none';
    else if (firstPod && !existing) totals = 'source';
    const side = this.clientSide(ctx, address, opts, totals);
    const cmName = objectName(this.id, 'client');
    const core = this.o.source.makeApiClient(CoreV1Api);
    // the mover's script is inline in the pod (it differs between runs: --delete on re-sync); the
    // ConfigMap holds the transport's config
    // the same for every run of this session: made (or found) once, not again inside a cutover
    this.clientConfig ??= this.src
      .ensure(
        buildConfigMap(
          cmName,
          this.srcNs,
          transferLabels(this.id, 'config'),
          side.configData,
        ),
        this.id,
      )
      .catch(e => {
        this.clientConfig = undefined;
        throw e;
      });
    await this.clientConfig;
    if (
      existing &&
      (existing.status?.phase === 'Failed' ||
        existing.metadata?.deletionTimestamp)
    ) {
      // a failed run from before a crash: run it again
      await this.src.remove(existing);
      await pollUntil(
        async () => ((await this.src.read(existing)) ? undefined : true),
        { timeoutMs: 60_000, what: `old pod ${podName} to go away` },
      );
    }
    const ids = clientIdentity(this.o.sourcePodSpecs);
    // while the application still runs (staging), a ReadWriteOnce source can only be mounted on its node
    const appNode = opts.appStopped
      ? undefined
      : (
          await withRetry(() =>
            core.listNamespacedPod({ namespace: this.srcNs }),
          )
        ).items.find(
          p =>
            mountsClaim(p.spec, this.o.spec.source.name) &&
            p.status?.phase === 'Running' &&
            !p.metadata?.name?.startsWith(`nst-${this.id}-`),
        )?.spec?.nodeName;
    await this.src.ensure(
      buildPod({
        name: podName,
        namespace: this.srcNs,
        labels: transferLabels(this.id, 'client'),
        side,
        claims: [
          {
            module: MODULE,
            claimName: this.o.spec.source.name,
            readOnly: true,
          },
        ],
        secretName: cmName,
        configMapName: cmName,
        securityContext: {
          runAsNonRoot: true,
          runAsUser: ids.runAsUser,
          runAsGroup: ids.runAsGroup,
          ...(ids.supplementalGroups.length
            ? { supplementalGroups: ids.supplementalGroups }
            : {}),
          seccompProfile: { type: 'RuntimeDefault' },
        },
        restartPolicy: 'Never',
        secretMode: 0o444,
        nodeName: appNode,
        resources: this.o.plan.moverResources?.source,
      }),
      this.id,
    );
    const moverContainer = side.containers[side.containers.length - 1].name;
    const parser = this.mover.createOutputParser();
    let seen = 0;
    const take = (text: string) => {
      seen += text.length;
      for (const sample of parser.push(text))
        this.o.onEvent?.({ type: 'progress', run, sample });
    };
    // progress while the pod runs, from its mover's log as it is written
    const finished = new AbortController();
    const following = followLog(
      this.o.source,
      {
        namespace: this.srcNs,
        pod: podName,
        container: moverContainer,
        signal: finished.signal,
      },
      take,
    );
    // once it has ended, one plain read for whatever the stream had not delivered yet
    const drainLogs = async () => {
      const log = await core
        .readNamespacedPodLog({
          name: podName,
          namespace: this.srcNs,
          container: moverContainer,
        })
        .catch(() => undefined);
      if (typeof log === 'string' && log.length > seen) take(log.slice(seen));
    };
    const pod = await waitForPods(
      this.o.source,
      this.srcNs,
      pods => {
        const p = pods.find(x => x.metadata?.name === podName);
        if (!p)
          throw new Error(
            `client pod ${this.srcNs}/${podName} was deleted before it finished`,
          );
        if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed')
          return p;
        // a client that never starts would otherwise be waited for as long as a sync may take
        const trouble = podStartTrouble(p);
        if (trouble)
          throw new Error(
            `client pod ${this.srcNs}/${podName} cannot start: ${trouble}`,
          );
        // a killed mover cannot tell its sidecar to stop (no trap runs on SIGKILL): its end is the end
        return p.status?.containerStatuses?.find(c => c.name === moverContainer)
          ?.state?.terminated
          ? p
          : undefined;
      },
      {
        fieldSelector: `metadata.name=${podName}`,
        timeoutMs: this.o.timeouts?.syncMs ?? 3_600_000,
        signal: this.o.signal,
        what: `client pod ${this.srcNs}/${podName} to finish`,
      },
    ).finally(() => finished.abort());
    await following.done;
    await drainLogs();
    const status = pod.status?.containerStatuses?.find(
      c => c.name === moverContainer,
    );
    const exitCode =
      status?.state?.terminated?.exitCode ??
      (pod.status?.phase === 'Succeeded' ? 0 : 1);
    const result = parser.finish(exitCode);
    // after a synced run the pod's failure is the comparison's: it gets the sidecars' words instead
    const failed = result.ok ? result.verification : result;
    if (failed && !failed.ok && !failed.differences?.length) {
      // the mover's errors rarely say why its sidecar refused: add the sidecars' last words
      for (const c of side.containers.filter(x => x.name !== moverContainer)) {
        const log = await core
          .readNamespacedPodLog({
            name: podName,
            namespace: this.srcNs,
            container: c.name,
            tailLines: 5,
          })
          .catch(() => '');
        for (const line of String(log).split('\n').filter(Boolean))
          failed.errors.push(`${c.name}: ${line}`);
      }
    }
    if (pod.status?.phase === 'Failed' && result.ok && !result.verification) {
      result.ok = false;
      result.errors.push(
        `client pod ${podName} failed: ${pod.status.reason ?? ''} ${pod.status.message ?? ''}`.trim(),
      );
    }
    const killedBy = (pod.status?.containerStatuses ?? [])
      .map(c => ({ name: c.name, t: c.state?.terminated }))
      .find(
        c =>
          c.t &&
          (c.t.signal ||
            (c.t.exitCode ?? 0) >= 128 ||
            (c.name !== moverContainer && c.t.exitCode !== 0)),
      );
    const killed =
      !result.ok && killedBy
        ? `${killedBy.name} ended with ${killedBy.t!.signal ? `signal ${killedBy.t!.signal}` : `exit code ${killedBy.t!.exitCode}`}`
        : undefined;
    if (killed) {
      const header = {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: podName, namespace: this.srcNs },
      };
      await this.src.remove(header);
      await pollUntil(
        async () => ((await this.src.read(header)) ? undefined : true),
        { timeoutMs: 60_000, what: `killed pod ${podName} to go away` },
      );
    }
    return { result, killed };
  }

  private sourceClaimHeader() {
    const s = this.o.spec.source;
    return {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: s.name, namespace: s.namespace },
    };
  }

  /** For `move`: the source PVC says where its data went (its workloads stay stopped). */
  async markSourceTransferred(): Promise<void> {
    const d = this.o.spec.destination;
    await retryOnConflict(async () => {
      const pvc = await this.src.read<V1PersistentVolumeClaim>(
        this.sourceClaimHeader(),
      );
      if (!pvc) return;
      pvc.metadata!.annotations = {
        ...pvc.metadata!.annotations,
        [TRANSFERRED_TO]: `${d.cluster}/${d.namespace}/${d.name}`,
        [TRANSFERRED_BY]: this.id,
      };
      await this.src.api.replace({
        ...pvc,
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
      });
    });
  }

  /** Rollback of a move that failed while marking: the source says nothing about a copy that is gone. */
  async unmarkSource(): Promise<void> {
    await retryOnConflict(async () => {
      const pvc = await this.src.read<V1PersistentVolumeClaim>(
        this.sourceClaimHeader(),
      );
      const ann = pvc?.metadata?.annotations;
      if (!pvc || ann?.[TRANSFERRED_BY] !== this.id) return;
      delete ann[TRANSFERRED_TO];
      delete ann[TRANSFERRED_BY];
      await this.src.api.replace({
        ...pvc,
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
      });
    });
  }

  /** For a move asked to delete its source: only after the source is marked (the point of no return). */
  async deleteSource(): Promise<void> {
    await this.src.remove(this.sourceClaimHeader());
  }

  /** Rollback: the destination PVC goes too, but only if this transfer made it. */
  async removeDestination(): Promise<void> {
    const d = this.o.spec.destination;
    const pvc = await this.dst.read<V1PersistentVolumeClaim>({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: d.name, namespace: d.namespace },
    });
    if (pvc && pvc.metadata?.labels?.[LABEL_TRANSFER_ID] === this.id)
      await this.dst.remove({
        ...pvc,
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
      });
  }

  /** Deletes everything this transfer made in both namespaces, except the destination PVC. */
  async cleanup(): Promise<void> {
    const selector = transferSelector(this.id);
    for (const [objects, ns] of [
      [this.src, this.srcNs],
      [this.dst, this.dstNs],
    ] as const) {
      for (const [apiVersion, kind] of [
        ['v1', 'Pod'],
        ['v1', 'Service'],
        ['v1', 'Secret'],
        ['v1', 'ConfigMap'],
        ['networking.k8s.io/v1', 'Ingress'],
        ['route.openshift.io/v1', 'Route'],
      ] as const) {
        let items: KubernetesObject[];
        try {
          items = await objects.list(apiVersion, kind, ns, selector);
        } catch (e) {
          // a kind the cluster does not serve (Routes outside OpenShift) holds nothing of ours; anything
          // else (403, 5xx) may hide key material, so the clean-up has not happened
          if (httpStatus(e) === 404) continue;
          throw new Error(
            `cleaning up: could not list ${kind}s in ${ns}: ${readableError(e)}`,
          );
        }
        for (const item of items) {
          if (item.kind === undefined) item.kind = kind;
          if (item.apiVersion === undefined) item.apiVersion = apiVersion;
          await objects.remove(item);
        }
      }
    }
  }
}
