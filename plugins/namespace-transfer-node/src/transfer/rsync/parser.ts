import type {
  ProgressSample,
  TransferResultSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { syncOutcome } from '../outcome';
import { MARKER, type MoverOutputParser, type MoverRunResult } from '../types';
import { parseClock, parseGroupedInt, parseRate } from '../units';

// `     30,000,119  50%  336.22MB/s    0:00:00 (xfr#42, to-chk=9/55)`
const PROGRESS2 =
  /^\s*([\d,]+)\s+(\d+)%\s+([\d.]+[kMGTP]?B\/s)\s+(\d+:\d{2}:\d{2})(?:\s+\(xfr#(\d+),\s*(?:ir|to)-chk=(\d+)\/(\d+)\))?/;
const SECTION = new RegExp(
  `^${MARKER} (estimate|sync|verify) module=(\\S+)(?: attempt=(\\d+))?`,
);
// `>fcs.T...... path`, `cL+++++++++ link -> target`, `*deleting   path` (itemized, dry run)
const ITEMIZED =
  /^(\*deleting|[<>ch.][fdLDS][.+?a-zA-Z]{9})\s+(.+?)(?: -> .*)?$/;
const WARNING = new RegExp(`^${MARKER} warning (.*)$`);
// `by=` names the command that failed when it was not rsync (the verification's sampling)
const FAILED = new RegExp(
  `^${MARKER} failed module=(\\S+) rc=(\\d+)(?: by=(\\S+))?`,
);

interface Stats {
  files?: number;
  regularTransferred?: number;
  totalSize?: number;
  transferredSize?: number;
}

const STATS: Array<[RegExp, keyof Stats]> = [
  [/^Number of files: ([\d,]+)/, 'files'],
  [/^Number of regular files transferred: ([\d,]+)/, 'regularTransferred'],
  [/^Total file size: ([\d,]+) bytes/, 'totalSize'],
  [/^Total transferred file size: ([\d,]+) bytes/, 'transferredSize'],
];

function readStat(line: string, stats: Stats): boolean {
  for (const [re, key] of STATS) {
    const m = re.exec(line);
    if (m) {
      stats[key] = parseGroupedInt(m[1]);
      return true;
    }
  }
  return false;
}

/** @public */
export interface ParserOptions {
  /** at most one progress sample per interval (rsync prints a line per file) */
  minIntervalMs?: number;
}

/**
 * Reads the rsync client script's output (stdout and stderr, in any chunking). Progress comes from
 * `--info=progress2` lines; totals from the dry run's stats when the script ran one, else from rsync's
 * own percentage; the result from the `--info=stats2` block of each module's last sync.
 *
 * @public
 */
export function createRsyncOutputParser(
  now: () => Date = () => new Date(),
  opts: ParserOptions = {},
): MoverOutputParser {
  const minInterval = opts.minIntervalMs ?? 500;
  let buffer = '';
  let section: 'none' | 'estimate' | 'sync' | 'verify' = 'none';
  const differences: string[] = [];
  let module = '';
  let attempt = 1;
  let maxAttempt = 1;
  let lastEmit = -Infinity;
  const estimates = new Map<string, Stats>();
  const syncStats = new Map<string, Stats>();
  let lastBytesDone = -1;
  const verifyStats = new Map<string, Stats>();
  let verifying = false;
  let synced = false;
  // a comparison after a sync has its own outcome: its errors must not fail the sync
  const errors: string[] = [];
  const verifyErrors: string[] = [];
  const warnings: string[] = [];

  const currentStats = (): Stats => {
    const maps = {
      estimate: estimates,
      verify: verifyStats,
      sync: syncStats,
      none: syncStats,
    };
    const map = maps[section];
    let s = map.get(module);
    if (!s) map.set(module, (s = {}));
    return s;
  };

  // bytes and files of modules whose sync already finished, so samples count across modules
  const finishedBefore = () => {
    let bytes = 0;
    let files = 0;
    for (const [name, s] of syncStats) {
      if (name === module) continue;
      bytes += s.transferredSize ?? 0;
      files += s.regularTransferred ?? 0;
    }
    return { bytes, files };
  };

  const estimatedTotals = () => {
    let bytes = 0;
    let files = 0;
    for (const s of estimates.values()) {
      if (s.transferredSize === undefined) return undefined;
      bytes += s.transferredSize;
      files += s.regularTransferred ?? 0;
    }
    return estimates.size ? { bytes, files } : undefined;
  };

  const progress = (
    m: RegExpExecArray,
    force: boolean,
  ): ProgressSample | undefined => {
    const t = now();
    if (!force && t.getTime() - lastEmit < minInterval) return undefined;
    lastEmit = t.getTime();
    const before = finishedBefore();
    const done = parseGroupedInt(m[1]);
    const pct = Number(m[2]);
    const totals = estimatedTotals();
    const bytesDone = before.bytes + done;
    lastBytesDone = bytesDone;
    const bytesTotal =
      totals?.bytes ??
      (pct > 0 ? before.bytes + Math.round((done * 100) / pct) : undefined);
    const sample: ProgressSample = {
      at: t.toISOString(),
      attempt,
      bytesDone,
      bytesTotal,
      filesDone: m[5] !== undefined ? before.files + Number(m[5]) : undefined,
      filesTotal: totals?.files,
      rate: parseRate(m[3]),
      etaSeconds: parseClock(m[4]),
    };
    if (bytesTotal !== undefined) {
      sample.percent =
        bytesTotal === 0
          ? 100
          : Math.min(100, Math.round((bytesDone / bytesTotal) * 1000) / 10);
    }
    return sample;
  };

  const completed = (): ProgressSample | undefined => {
    const before = finishedBefore();
    const own = syncStats.get(module) ?? {};
    const bytesDone = before.bytes + (own.transferredSize ?? 0);
    // progress2 already said so: no second sample for the same point
    if (bytesDone === lastBytesDone) return undefined;
    const t = now();
    lastEmit = t.getTime();
    lastBytesDone = bytesDone;
    const totals = estimatedTotals();
    const bytesTotal = Math.max(totals?.bytes ?? 0, bytesDone);
    return {
      at: t.toISOString(),
      attempt,
      bytesDone,
      bytesTotal,
      filesDone: before.files + (own.regularTransferred ?? 0),
      filesTotal: totals?.files,
      etaSeconds: 0,
      percent:
        bytesTotal === 0
          ? 100
          : Math.min(100, Math.round((bytesDone / bytesTotal) * 1000) / 10),
    };
  };

  const handleLine = (raw: string, samples: ProgressSample[]) => {
    const line = raw.replace(/\s+$/, '');
    if (!line) return;
    const sec = SECTION.exec(line);
    if (sec) {
      section = sec[1] as 'estimate' | 'sync' | 'verify';
      module = sec[2];
      if (section === 'verify') verifying = true;
      if (section === 'sync') {
        synced = true;
        attempt = Number(sec[3] ?? 1);
        maxAttempt = Math.max(maxAttempt, attempt);
        // a retried module starts over; its earlier partial stats are not a result
        syncStats.delete(module);
      }
      return;
    }
    const warning = WARNING.exec(line);
    if (warning) {
      warnings.push(warning[1]);
      return;
    }
    const failed = FAILED.exec(line);
    if (failed) {
      (verifying ? verifyErrors : errors).push(
        verifying
          ? `verification of module ${failed[1]} failed with ${failed[3] ?? 'rsync'} exit code ${failed[2]}`
          : `module ${failed[1]} failed with ${failed[3] ?? 'rsync'} exit code ${failed[2]}`,
      );
      return;
    }
    if (line.startsWith(MARKER)) return;
    const prog = section === 'sync' ? PROGRESS2.exec(line) : null;
    if (prog) {
      const s = progress(prog, Number(prog[2]) >= 100);
      if (s) samples.push(s);
      return;
    }
    const item = section === 'verify' ? ITEMIZED.exec(line) : null;
    if (item) {
      // the root's own times/mode may be unsettable (see the client script): not a difference in the data
      if (item[2] !== './')
        differences.push(
          `${item[1].startsWith('*') ? 'extra' : 'differs'}: ${item[2]}`,
        );
      return;
    }
    if (section !== 'none' && readStat(line.trim(), currentStats())) {
      // progress2 may end on an earlier line (it throttles its updates): a module's stats are the
      // authoritative end of its sync, so they close its progress
      if (
        section === 'sync' &&
        line.trim().startsWith('Total transferred file size')
      ) {
        const end = completed();
        if (end) samples.push(end);
      }
      return;
    }
    if (/^rsync( error)?:|^@ERROR|^ERROR:/.test(line.trim()))
      (verifying ? verifyErrors : errors).push(line.trim());
  };

  const verification = (exitCode: number): TransferResultSummary => {
    let files = 0;
    let bytes = 0;
    for (const v of verifyStats.values()) {
      files += v.files ?? 0;
      bytes += v.totalSize ?? 0;
    }
    return {
      exitCode,
      ok: exitCode === 0 && differences.length === 0,
      attempts: 1,
      filesTotal: files,
      bytesTotal: bytes,
      errors:
        exitCode === 0 ? differences.map(d => `verify: ${d}`) : verifyErrors,
      warnings: [],
      differences,
    };
  };

  return {
    push(chunk: string): ProgressSample[] {
      buffer += chunk;
      const parts = buffer.split(/[\r\n]/);
      buffer = parts.pop() ?? '';
      const samples: ProgressSample[] = [];
      for (const part of parts) handleLine(part, samples);
      return samples;
    },
    finish(exitCode: number): MoverRunResult {
      if (buffer) handleLine(buffer, []);
      buffer = '';
      const sum = (k: keyof Stats) => {
        let total: number | undefined;
        for (const s of syncStats.values())
          if (s[k] !== undefined) total = (total ?? 0) + (s[k] as number);
        return total;
      };
      if (verifying && !synced) return { ...verification(exitCode), warnings };
      return {
        ...(verifying ? { verification: verification(exitCode) } : {}),
        ...syncOutcome(exitCode, verifying, errors, warnings),
        attempts: maxAttempt,
        filesTotal: sum('files'),
        filesTransferred: sum('regularTransferred'),
        bytesTotal: sum('totalSize'),
        bytesTransferred: sum('transferredSize'),
      };
    },
  };
}
