import { useEffect } from 'react';

const PRODUCT = 'Stream Scout';

export function useDocumentTitle(page: string | null): void {
  useEffect(() => {
    document.title = page ? `${page} · ${PRODUCT}` : PRODUCT;
  }, [page]);
}
