import type {
  ProgressSample,
  TransferResultSummary,
} from '@namespace-transfer/plugin-namespace-transfer-common';
import { syncOutcome } from '../outcome';
import { MARKER, type MoverOutputParser, type MoverRunResult } from '../types';

const SECTION = new RegExp(`^${MARKER} sync module=(\\S+) attempt=(\\d+)`);
const VERIFY = new RegExp(`^${MARKER} verify module=(\\S+)`);
const CHECKED = new RegExp(`^${MARKER} checked module=(\\S+) rc=(\\d+)`);
const FAILED = new RegExp(`^${MARKER} failed module=(\\S+) rc=(\\d+)`);

interface RcloneStats {
  bytes?: number;
  totalBytes?: number;
  transfers?: number;
  totalTransfers?: number;
  speed?: number;
  eta?: number | null;
  errors?: number;
  lastError?: string;
}

/**
 * Reads `--use-json-log` output: every `--stats` tick is a JSON line with a `stats` object; errors are
 * lines at level "error". Totals across modules add up the final stats of each finished module.
 *
 * @public
 */
export function createRcloneOutputParser(
  now: () => Date = () => new Date(),
): MoverOutputParser {
  let buffer = '';
  let module = '';
  let attempt = 1;
  let maxAttempt = 1;
  const finalStats = new Map<string, RcloneStats>();
  const errors: string[] = [];
  // a comparison after a sync has its own outcome: its errors must not fail the sync
  const verifyErrors: string[] = [];
  const warnings: string[] = [];
  let verifying = false;
  let synced = false;
  let checkedFiles = 0;
  const differences: string[] = [];

  const before = () => {
    let bytes = 0;
    let files = 0;
    for (const [name, s] of finalStats) {
      if (name === module) continue;
      bytes += s.bytes ?? 0;
      files += s.transfers ?? 0;
    }
    return { bytes, files };
  };

  const handleLine = (line: string, samples: ProgressSample[]) => {
    const trimmed = line.trim();
    if (!trimmed) return;
    const sec = SECTION.exec(trimmed);
    if (sec) {
      module = sec[1];
      attempt = Number(sec[2]);
      maxAttempt = Math.max(maxAttempt, attempt);
      finalStats.delete(module);
      synced = true;
      return;
    }
    if (VERIFY.test(trimmed)) {
      verifying = true;
      return;
    }
    const checked = CHECKED.exec(trimmed);
    if (checked) {
      if (checked[2] !== '0' && differences.length === 0) {
        verifyErrors.push(
          `rclone check of module ${checked[1]} failed with exit code ${checked[2]}`,
        );
      }
      return;
    }
    const c = verifying
      ? /^([=*+-]) (.+)$/.exec(line.replace(/\s+$/, ''))
      : null;
    if (c) {
      checkedFiles++;
      if (c[1] === '*' || c[1] === '+') differences.push(`differs: ${c[2]}`);
      if (c[1] === '-') differences.push(`extra: ${c[2]}`);
      return;
    }
    const failed = FAILED.exec(trimmed);
    if (failed) {
      (verifying ? verifyErrors : errors).push(
        `module ${failed[1]} failed with rclone exit code ${failed[2]}`,
      );
      return;
    }
    if (!trimmed.startsWith('{')) {
      // fatal set-up errors (e.g. a refused TLS handshake) bypass the JSON logger
      const plain =
        /^(?:\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d )?((?:ERROR|CRITICAL|Failed to)\b.*)$/.exec(
          trimmed,
        );
      if (plain) (verifying ? verifyErrors : errors).push(plain[1]);
      return;
    }
    let entry: { level?: string; msg?: string; stats?: RcloneStats };
    try {
      entry = JSON.parse(trimmed);
    } catch {
      return;
    }
    if (entry.level === 'error' && entry.msg)
      (verifying ? verifyErrors : errors).push(entry.msg.trim());
    if (!entry.stats || verifying) return;
    const s = entry.stats;
    finalStats.set(module, s);
    const b = before();
    const bytesDone = b.bytes + (s.bytes ?? 0);
    const bytesTotal =
      s.totalBytes !== undefined ? b.bytes + s.totalBytes : undefined;
    const sample: ProgressSample = {
      at: now().toISOString(),
      attempt,
      bytesDone,
      bytesTotal,
      filesDone: b.files + (s.transfers ?? 0),
      filesTotal:
        s.totalTransfers !== undefined ? b.files + s.totalTransfers : undefined,
      rate: s.speed,
      etaSeconds: typeof s.eta === 'number' ? s.eta : undefined,
    };
    if (bytesTotal !== undefined)
      sample.percent =
        bytesTotal === 0
          ? 100
          : Math.round((bytesDone / bytesTotal) * 1000) / 10;
    samples.push(sample);
  };

  return {
    push(chunk: string): ProgressSample[] {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      const samples: ProgressSample[] = [];
      for (const l of lines) handleLine(l, samples);
      return samples;
    },
    finish(exitCode: number): MoverRunResult {
      if (buffer) handleLine(buffer, []);
      buffer = '';
      const verification: TransferResultSummary = {
        exitCode,
        ok:
          exitCode === 0 &&
          verifyErrors.length === 0 &&
          differences.length === 0,
        attempts: 1,
        filesTotal: checkedFiles,
        errors: [...verifyErrors, ...differences.map(d => `verify: ${d}`)],
        warnings: [],
        differences,
      };
      if (verifying && !synced) return { ...verification, warnings };
      let bytes = 0;
      let files = 0;
      for (const s of finalStats.values()) {
        bytes += s.bytes ?? 0;
        files += s.transfers ?? 0;
      }
      return {
        ...(verifying ? { verification } : {}),
        ...syncOutcome(exitCode, verifying, errors, warnings),
        attempts: maxAttempt,
        filesTransferred: files,
        bytesTransferred: bytes,
      };
    },
  };
}
