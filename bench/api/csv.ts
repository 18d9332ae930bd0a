/**
 * The audit export of a large store as an admin downloads it, and what it costs the backend in memory:
 * its peak RSS during the download over its RSS just before. The backend is a fresh process (a long
 * list bench before would have grown its heap already and hidden the export's growth), warmed by one
 * list page and one empty export so that what is loaded once is not counted. The peak is the kernel's
 * (VmHWM, reset just before the request), so no short spike between two samples is missed.
 */
import type { Figure } from '../lib';
import {
  authHeader,
  memoryOf,
  resetPeak,
  startChildBackend,
  type BenchDatabase,
} from './backend';
import { label } from './list';
import { ADMIN } from './users';

const MIB = 2 ** 20;

/** CSV records in a stream: line ends outside quotes (a quoted cell may hold one). */
function recordCounter() {
  let quoted = false;
  let records = 0;
  return {
    add(chunk: Uint8Array) {
      for (const byte of chunk) {
        if (byte === 0x22) quoted = !quoted;
        else if (byte === 0x0a && !quoted) records++;
      }
    },
    get records() {
      return records;
    },
  };
}

async function download(url: string, onChunk: (c: Uint8Array) => void) {
  const res = await fetch(url, { headers: authHeader(ADMIN) });
  if (res.status !== 200 || !res.body)
    throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  // read as it comes and let go: the client keeps nothing of the body
  for await (const chunk of res.body as AsyncIterable<Uint8Array>)
    onChunk(chunk);
}

interface Export {
  growthMib: number;
  beforeMib: number;
  peakMib: number;
  csvMib: number;
  seconds: number;
}

/** One export by a fresh backend: its RSS growth, the row count checked. */
async function oneExport(db: BenchDatabase, rows: number): Promise<Export> {
  const backend = await startChildBackend(db);
  try {
    const url = `${backend.base}/transfers/export.csv`;
    await fetch(`${backend.base}/transfers`, { headers: authHeader(ADMIN) });
    await download(`${url}?requester=user:default/nobody`, () => undefined);

    const before = memoryOf(backend.pid).rss;
    resetPeak(backend.pid);
    let sampled = before;
    const sampler = setInterval(() => {
      sampled = Math.max(sampled, memoryOf(backend.pid).rss);
    }, 10);
    const counter = recordCounter();
    let bytes = 0;
    const t0 = performance.now();
    try {
      await download(url, c => {
        bytes += c.byteLength;
        counter.add(c);
      });
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - t0) / 1000;
    const peak = Math.max(memoryOf(backend.pid).peak, sampled);
    if (counter.records !== rows + 1)
      throw new Error(
        `the export held ${counter.records} records, not ${rows} transfers and a header`,
      );
    return {
      growthMib: (peak - before) / MIB,
      beforeMib: before / MIB,
      peakMib: peak / MIB,
      csvMib: bytes / MIB,
      seconds,
    };
  } finally {
    await backend.stop();
  }
}

/**
 * The median of `rounds` exports, each by a fresh backend: when V8 collects its old space varies from run
 * to run, and with it the peak.
 */
export async function csvFigure(
  db: BenchDatabase,
  rows: number,
  rounds: number,
): Promise<Figure> {
  const runs: Export[] = [];
  for (let i = 0; i < rounds; i++) runs.push(await oneExport(db, rows));
  const mid = [...runs].sort((a, b) => a.growthMib - b.growthMib)[
    Math.floor((runs.length - 1) / 2)
  ];
  return {
    figure: `csv export ${label(rows)} peak RSS growth (MiB, ${db.engine})`,
    value: mid.growthMib,
    target: '<=64',
    unit: 'MiB',
    note: `median of ${rounds} fresh backends: ${runs.map(r => r.growthMib.toFixed(0)).join(', ')} MiB; ${rows} rows checked, ${mid.csvMib.toFixed(1)} MiB of CSV in ${mid.seconds.toFixed(1)} s; RSS ${mid.beforeMib.toFixed(0)} -> peak ${mid.peakMib.toFixed(0)} MiB`,
  };
}
