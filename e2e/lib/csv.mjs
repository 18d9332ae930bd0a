// Reads the audit export (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) into objects
// keyed by its header, and writes what the API answers as the rows the export should hold.

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.map(cells =>
    Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])),
  );
}

/** The export's columns that the API's TransferSummary gives directly, as the export writes them. */
export function expectedCsvFields(t) {
  return {
    id: t.id,
    state: t.state,
    requester: t.requester,
    approvedBy: t.approvedBy.join(' '),
    sourceCluster: t.source.cluster,
    sourceNamespace: t.source.namespace,
    sourceClaim: t.source.claim,
    sourceEntity: t.source.entityRef,
    destinationCluster: t.destination.cluster,
    destinationNamespace: t.destination.namespace,
    destinationClaim: t.destination.claim,
    destinationEntity: t.destination.entityRef,
    requestedMode: t.requestedMode,
    chosenMode: t.chosenMode ?? '',
    intent: t.intent,
    attempt: String(t.attempt),
    bytesDone:
      t.progress.bytesDone === undefined ? '' : String(t.progress.bytesDone),
    createdAt: t.createdAt,
    finishedAt: t.finishedAt ?? '',
  };
}
