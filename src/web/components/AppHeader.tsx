import { useRoute } from '../hooks/use-route.ts';
import { clipsHref, homeHref } from '../lib/route.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { Logo } from './Logo.tsx';

export function AppHeader() {
  const { page } = useRoute();
  const current = (here: boolean) => (here ? 'page' : undefined);
  return (
    <header className="app-header">
      <a className="brand" href={homeHref()}>
        <Logo />
        <span>Stream Scout</span>
      </a>
      <nav className="app-nav" aria-label="Views">
        <a href={homeHref()} aria-current={current(page === 'home')}>
          Live
        </a>
        <a href={clipsHref()} aria-current={current(page === 'clips')}>
          Clips
        </a>
      </nav>
      <ConnectionStatus />
    </header>
  );
}
