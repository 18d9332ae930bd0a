import { MARKER, type MoverClientContext } from '../types';
import { doneMarker, modulePath } from '../../sides';
import { SECRET_KEYS } from '../../transport';
import { shq } from '../rsync/clientScript';

/**
 * rclone exit codes that retrying cannot fix. Not 1: rclone also exits 1 when it cannot reach the
 * server to set up the remote, which is exactly what a retry with backoff is for.
 */
const FATAL_CODES = [7];

function url(ctx: MoverClientContext): string {
  const host = ctx.connect.host.includes(':')
    ? `[${ctx.connect.host}]`
    : ctx.connect.host;
  return `https://${host}:${ctx.connect.port}/`;
}

export function rcloneClientFlags(ctx: MoverClientContext): string[] {
  const s = ctx.layout.secretDir;
  return [
    `--webdav-url=${url(ctx)}`,
    // the server only accepts a client certificate of this transfer; the client only trusts its CA
    `--ca-cert=${s}/${SECRET_KEYS.ca}`,
    `--client-cert=${s}/${SECRET_KEYS.cert}`,
    `--client-key=${s}/${SECRET_KEYS.key}`,
    // symlinks travel as .rclonelink objects and become symlinks again on the server
    '--links',
    '--exclude=/lost+found/**',
    `--config=${ctx.layout.scratchDir}/rclone.conf`,
    `--cache-dir=${ctx.layout.scratchDir}/cache`,
    '--use-json-log',
    '--stats=1s',
    '--stats-log-level=NOTICE',
    // the script retries whole runs with backoff; rclone only retries single requests
    '--retries=1',
    '--low-level-retries=5',
  ];
}

/**
 * Like the rsync client: one run per module, retried with exponential backoff, markers for the parser.
 *
 * @public
 */
export function rcloneClientScript(ctx: MoverClientContext): string {
  const o = ctx.options;
  const flags = rcloneClientFlags(ctx).map(shq).join(' ');
  const verb = o.delete ? 'sync' : 'copy';
  const out: string[] = [
    'set -u',
    `trap 'touch ${shq(doneMarker(ctx.layout))}' EXIT`,
    `export HOME=${shq(ctx.layout.scratchDir)}`,
  ];
  // WebDAV serves no hashes: compare by downloading (always every file: rclone check cannot sample).
  // The combined report marks each path: "=" same, "*" differs, "+" only in the source, "-" only in
  // the destination
  const verifyLines = (mode: string) =>
    ctx.modules.flatMap(m => [
      `echo "${MARKER} verify module=${m.name} mode=${mode}"`,
      `rclone check ${shq(`${modulePath(ctx.layout, m)}/`)} ${shq(`:webdav:/${m.name}`)} ${flags} --download --combined=-; rc=$?`,
      `echo "${MARKER} checked module=${m.name} rc=$rc"`,
    ]);
  if (o.verify) {
    out.push(...verifyLines(o.verify.mode), `echo '${MARKER} done'`);
    return `${out.join('\n')}\n`;
  }
  for (const m of ctx.modules) {
    out.push(
      `delay=${o.initialBackoffSeconds}`,
      'attempt=1',
      'while :; do',
      `  echo "${MARKER} sync module=${m.name} attempt=$attempt"`,
      `  rclone ${verb} --create-empty-src-dirs ${shq(`${modulePath(ctx.layout, m)}/`)} ${shq(`:webdav:/${m.name}`)} ${flags}; rc=$?`,
      '  if [ $rc -eq 0 ]; then break; fi',
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
  if (o.verifyAfterSync) out.push(...verifyLines(o.verifyAfterSync.mode));
  out.push(`echo '${MARKER} done'`);
  return `${out.join('\n')}\n`;
}
