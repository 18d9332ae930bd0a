import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { namespaceTransferApiRef } from '../../api';
import { errorMessage } from '../../lib/errors';
import { AuditFilters } from './auditFilters';

/** Saves a Blob under a name the way a download link would: the export needs the user's token, a link not. */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** "Export CSV": every transfer matching the filters (not only the page shown), saved as the backend names it. */
export function ExportCsvButton({ filters }: { filters: AuditFilters }) {
  const api = useApi(namespaceTransferApiRef);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const exportCsv = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { filename, blob } = await api.exportTransfers(filters);
      save(blob, filename);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button
        variant="outlined"
        color="primary"
        disabled={busy}
        onClick={exportCsv}
      >
        Export CSV
      </Button>
      {error && (
        <Typography role="alert" color="error" variant="body2">
          The export failed: {error}
        </Typography>
      )}
    </>
  );
}
