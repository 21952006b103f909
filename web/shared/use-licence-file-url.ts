import { useEffect, useState } from 'react';
import { licenceFileUrl } from './offline-files';

/** An object URL for a licence file while it is shown; revoked when the file changes or the screen goes. */
export function useLicenceFileUrl(licenceFile: string | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!licenceFile) { setUrl(null); return; }
    const next = licenceFileUrl(licenceFile);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [licenceFile]);
  return url;
}
