import { homeHref } from '../lib/route.ts';
import { ConnectionStatus } from './ConnectionStatus.tsx';
import { Logo } from './Logo.tsx';

export function AppHeader() {
  return (
    <header className="app-header">
      <a className="brand" href={homeHref()}>
        <Logo />
        <span>Stream Scout</span>
      </a>
      <ConnectionStatus />
    </header>
  );
}
