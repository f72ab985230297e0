import { EmptyState } from '../components/EmptyState.tsx';
import { useDocumentTitle } from '../hooks/use-document-title.ts';
import { homeHref } from '../lib/route.ts';

export function NotFoundPage() {
  useDocumentTitle('Not found');
  return (
    <EmptyState title="There is nothing at this address">
      <a href={homeHref()}>Back to the live streams</a>
    </EmptyState>
  );
}
