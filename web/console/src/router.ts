/** A tiny path router under /console: the service answers index.html for every path below it. */
import { useEffect, useState } from 'react';

export const BASE = '/console';

export function navigate(to: string): void {
  window.history.pushState(null, '', `${BASE}${to}`);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function usePath(): string {
  const read = () => window.location.pathname.replace(/^\/console/, '') || '/';
  const [path, setPath] = useState(read);
  useEffect(() => {
    const onPop = () => setPath(read());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return path;
}

/** A link that routes in the page (Ctrl/Cmd-click still opens a tab). */
export function linkProps(to: string) {
  return {
    href: `${BASE}${to}`,
    onClick: (e: { ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; button: number; preventDefault(): void }) => {
      if (e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
      e.preventDefault();
      navigate(to);
    },
  };
}
