import { useRoute } from '../hooks/use-route.ts';
import { ClipsPage } from '../pages/ClipsPage.tsx';
import { HomePage } from '../pages/HomePage.tsx';
import { NotFoundPage } from '../pages/NotFoundPage.tsx';
import { StreamPage } from '../pages/StreamPage.tsx';
import { AppHeader } from './AppHeader.tsx';
import { LiveProvider } from './LiveProvider.tsx';

function Page() {
  const route = useRoute();
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'stream':
      return <StreamPage key={route.channel} channel={route.channel} />;
    case 'clips':
      return <ClipsPage filter={route.filter} />;
    case 'not-found':
      return <NotFoundPage />;
  }
}

export function App() {
  return (
    <LiveProvider>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <AppHeader />
      <main id="main" className="page" tabIndex={-1}>
        <Page />
      </main>
    </LiveProvider>
  );
}
