import { MARKER, type MoverClientContext, type VerifyOptions } from '../types';
import { doneMarker, modulePath } from '../../sides';
import { rsyncPermissionFlags } from '../../permissions';
import { RSYNC_PASSWORD, remoteModulePath } from './daemonConfig';

/** a progress2 line (`  30,000,119  50%  336.22MB/s  0:00:00 ...`), as an awk ERE */
const PROGRESS_LINE = '^ *[0-9,]+ +[0-9]+%';

/** rsync exit codes that retrying cannot fix (usage, protocol incompatibility, unsupported action). */
const FATAL_CODES = [1, 2, 4];

/** Quote for POSIX sh. */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function rsyncBaseFlags(ctx: MoverClientContext): string[] {
  return [
    // -a without owners (decided by the permission repair), plus hard links and sparse files
    '--recursive',
    '--links',
    '--perms',
    '--times',
    '--devices',
    '--specials',
    '--hard-links',
    '--sparse',
    '--partial',
    // one file list up front: progress then knows the real totals
    '--no-inc-recursive',
    '--exclude=/lost+found/',
    '--timeout=300',
    '--contimeout=30',
    ...rsyncPermissionFlags(ctx.options.permissions),
    ...(ctx.options.delete ? ['--delete', '--delete-delay'] : []),
  ];
}

/**
 * The client's shell script: for each module an optional dry run for exact totals, then the sync with
 * retries and exponential backoff. ACLs and xattrs are tried first and dropped (with a warning) when the
 * platform refuses them. Markers tell the output parser where each section starts.
 *
 * @public
 */
export function rsyncClientScript(ctx: MoverClientContext): string {
  const o = ctx.options;
  const base = rsyncBaseFlags(ctx).map(shq).join(' ');
  const target = (module: string) =>
    shq(
      `rsync://${ctx.credentials.moverUser}@${ctx.connect.host}:${ctx.connect.port}/${module}${remoteModulePath(ctx.remoteLayout, { name: module })}/`,
    );
  const err = `${ctx.layout.scratchDir}/rsync.err`;
  const out: string[] = [
    'set -u',
    `trap 'touch ${shq(doneMarker(ctx.layout))}' EXIT`,
    `err=${shq(err)}`,
    // read into the environment rather than --password-file: rsync refuses a password file that others
    // could read, and the client's Secret volume must be readable without an fsGroup (see pods/build.ts)
    `RSYNC_PASSWORD="$(cat ${shq(`${ctx.layout.secretDir}/${RSYNC_PASSWORD}`)})"`,
    'export RSYNC_PASSWORD',
    `rcf=${shq(`${ctx.layout.scratchDir}/rsync.rc`)}`,
    // container logs are line-based (a kubelet only ships a line once it ends) and progress2 ends its
    // lines with \r: turn them into real lines, unbuffered, so progress is visible while it happens
    'if command -v stdbuf >/dev/null 2>&1; then lines() { stdbuf -o0 tr "\\r" "\\n"; }; else lines() { tr "\\r" "\\n"; }; fi',
    // progress2 writes a line for every file: a million files would be a million log lines for the
    // runtime to store (and rotate away) and the engine to read. One a second is all progress needs;
    // every other line passes. (srand() returns the previous seed: called twice, the time in seconds.)
    `throttle() { awk ${shq(`/${PROGRESS_LINE}/ { srand(); t = srand(); if (t == last) next; last = t } { print; fflush() }`)}; }`,
  ];
  out.push(...waitForChannel(ctx));
  // a comparison never deletes: extra files are reported by its own --delete in a dry run
  const verifyBase = rsyncBaseFlags({
    ...ctx,
    options: { ...o, delete: false },
  })
    .map(shq)
    .join(' ');
  if (o.verify)
    return `${[...out, ...verifyLines(ctx, o.verify, verifyBase, target)].join('\n')}\n`;
  for (const m of ctx.modules) {
    const src = shq(`${modulePath(ctx.layout, m)}/`);
    out.push(
      `fidelity='--acls --xattrs'`,
      `delay=${o.initialBackoffSeconds}`,
      'attempt=1',
    );
    if (o.totals !== 'none')
      out.push(
        `echo '${MARKER} estimate module=${m.name}'`,
        ...(o.totals === 'source'
          ? sourceTotals(ctx, m.name, src)
          : dryRunTotals(base, src, target(m.name))),
      );
    // the error lines about the volume root's own attributes (see below)
    const root = remoteModulePath(ctx.remoteLayout, m);
    const rootLines = `-e ${shq(`"${root}/."`)} -e ${shq(`(${root}/.,`)}`;
    out.push(
      'while :; do',
      `  echo "${MARKER} sync module=${m.name} attempt=$attempt"`,
      `  { rsync ${base} $fidelity --info=progress2,stats2 ${src} ${target(m.name)} 2>"$err"; echo $? > "$rcf"; } | lines | throttle`,
      '  rc=$(cat "$rcf")',
      // the volume's root directory belongs to root (or the provisioner), not to this non-root identity:
      // its own mode and times cannot be set. That is expected on every new volume, so it is neither a
      // failure nor a warning (every error line must name the root: `"<root>/."` for times/perms/xattrs,
      // `(<root>/.,` for ACLs); anything else in the same run is reported as usual
      `  if [ $rc -eq 23 ] && ! grep -vF -e 'rsync error:' ${rootLines} "$err" | grep -q .; then`,
      `    echo "${MARKER} note the volume root keeps its own owner, mode and times"`,
      '    break',
      '  fi',
      `  grep -vF ${rootLines} "$err" >&2`,
      '  if [ $rc -eq 0 ]; then break; fi',
      // files that vanish while the application still runs (staging) are expected, not a failure
      `  if [ $rc -eq 24 ]; then echo "${MARKER} warning source files vanished during the sync"; break; fi`,
      '  if [ -n "$fidelity" ] && grep -qiE "acl|xattr|extended attribute" "$err"; then',
      `    echo "${MARKER} warning ACLs/xattrs are not supported here, copying without them"`,
      "    fidelity=''",
      '    continue',
      '  fi',
      `  case $rc in ${FATAL_CODES.join('|')}) echo "${MARKER} failed module=${m.name} rc=$rc"; exit $rc;; esac`,
      `  if [ $attempt -ge ${o.maxAttempts} ]; then echo "${MARKER} failed module=${m.name} rc=$rc"; exit $rc; fi`,
      `  echo "${MARKER} retry module=${m.name} rc=$rc delay=$delay"`,
      '  sleep $delay',
      `  delay=$((delay * 2)); if [ $delay -gt ${o.maxBackoffSeconds} ]; then delay=${o.maxBackoffSeconds}; fi`,
      '  attempt=$((attempt + 1))',
      'done',
    );
  }
  // reached only when every module synced (a failure exits above)
  if (o.verifyAfterSync)
    return `${[...out, ...verifyLines(ctx, o.verifyAfterSync, verifyBase, target)].join('\n')}\n`;
  out.push(`echo '${MARKER} done'`);
  return `${out.join('\n')}\n`;
}

/**
 * The transport sidecar starts beside this container and may not listen yet. A transport that says when
 * it does (a ready file) is waited for locally; otherwise a module listing (no auth, no data) every 25 ms
 * finds the path up at once, where a failed attempt of the sync would back off for seconds. Either way
 * a channel that never comes up is left to the sync's own retries.
 */
function waitForChannel(ctx: MoverClientContext): string[] {
  if (ctx.connectReadyFile)
    return [
      'n=0',
      `until [ -e ${shq(ctx.connectReadyFile)} ]; do`,
      '  n=$((n + 1)); if [ $n -ge 1000 ]; then break; fi; sleep 0.01',
      'done',
    ];
  return [
    'n=0',
    `until rsync --contimeout=10 ${shq(`rsync://${ctx.connect.host}:${ctx.connect.port}/`)} >/dev/null 2>&1; do`,
    '  n=$((n + 1)); if [ $n -ge 400 ]; then break; fi; sleep 0.025',
    'done',
  ];
}

/**
 * Totals from a dry run against the server: exact whatever the destination holds. Best effort, but
 * retried briefly: the transport sidecar may still be starting; a lasting failure shows up again, with
 * backoff, in the sync itself.
 */
function dryRunTotals(base: string, src: string, target: string): string[] {
  return [
    'n=0',
    `until rsync ${base} --dry-run --info=stats2 ${src} ${target}; do`,
    '  n=$((n + 1)); if [ $n -ge 5 ]; then break; fi; sleep 1',
    'done',
  ];
}

/**
 * Totals from a local dry run into a directory that does not exist: what a sync into an empty
 * destination sends, counted by rsync itself (same filters, hard links counted once) without a
 * connection or a walk of the remote tree. Nothing is created.
 */
function sourceTotals(
  ctx: MoverClientContext,
  module: string,
  src: string,
): string[] {
  const local = rsyncBaseFlags(ctx)
    // a daemon-only option: rsync refuses it for a local run
    .filter(f => !f.startsWith('--contimeout'))
    .map(shq)
    .join(' ');
  const nowhere = shq(`${ctx.layout.scratchDir}/totals-${module}/`);
  return [`rsync ${local} --dry-run --info=stats2 ${src} ${nowhere}`];
}

/**
 * Verification: a dry run with checksums that itemizes every difference (content, size, type, link
 * target, missing and, for a full check, extra files). Empty itemized output means equal trees.
 */
function verifyLines(
  ctx: MoverClientContext,
  v: VerifyOptions,
  base: string,
  target: (m: string) => string,
): string[] {
  const lines: string[] = [];
  for (const m of ctx.modules) {
    const src = modulePath(ctx.layout, m);
    lines.push(`echo '${MARKER} verify module=${m.name} mode=${v.mode}'`);
    let extra = "'--delete'";
    if (v.mode === 'sample') {
      const all = `${ctx.layout.scratchDir}/verify-${m.name}.all`;
      const list = `${ctx.layout.scratchDir}/verify-${m.name}.list`;
      const ratio = Math.min(1, Math.max(0, v.sampleRatio ?? 0.1));
      // dash has no pipefail: listing and sampling are separate commands, each checked, so a missing or
      // failing find or awk fails the verification instead of leaving an empty sample that "passes"
      const failed = (by: string) =>
        `{ rc=$?; echo "${MARKER} failed module=${m.name} rc=$rc by=${by}"; exit $rc; }`;
      lines.push(
        // lost+found is never transferred, so it is never sampled either (the daemon would refuse it)
        `(cd ${shq(src)} && find . -path ./lost+found -prune -o -type f -print) > ${shq(all)} || ${failed('find')}`,
        // a tree with files always has at least one of them checked, however small the ratio
        `awk -v r=${ratio} 'BEGIN { srand() } { last = $0 } rand() < r { print; n++ } END { if (NR > 0 && n == 0) print last }' ${shq(all)} > ${shq(list)} || ${failed('awk')}`,
        `echo "${MARKER} sampled $(wc -l < ${shq(list)}) of $(wc -l < ${shq(all)}) files"`,
      );
      extra = shq(`--files-from=${list}`);
    }
    lines.push(
      'n=0',
      `until rsync ${base} ${extra} --dry-run --checksum --itemize-changes --info=stats2 ${shq(`${src}/`)} ${target(m.name)}; do`,
      `  rc=$?; n=$((n + 1)); if [ $n -ge ${ctx.options.maxAttempts} ]; then echo "${MARKER} failed module=${m.name} rc=$rc"; exit $rc; fi; sleep 2`,
      'done',
    );
  }
  lines.push(`echo '${MARKER} done'`);
  return lines;
}
