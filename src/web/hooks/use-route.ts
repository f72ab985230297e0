import { useSyncExternalStore } from 'react';
import { parseRoute, type Route } from '../lib/route.ts';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener('hashchange', onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener('hashchange', onChange);
  };
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => window.location.pathname);
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(pathname, hash);
}
