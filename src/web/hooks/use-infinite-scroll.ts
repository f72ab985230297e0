// Calls `onReach` when `target` comes within a screen's reach of the viewport. The observer is
// made anew whenever `enabled` turns on again (after each page), and a new observer reports the
// target's state at once: a page too short to fill the screen loads the next one by itself.
import { useEffect, useRef, type RefObject } from 'react';

export function useInfiniteScroll(
  target: RefObject<Element | null>,
  enabled: boolean,
  onReach: () => void,
): void {
  const latest = useRef(onReach);
  useEffect(() => {
    latest.current = onReach;
  });
  useEffect(() => {
    const element = target.current;
    if (!enabled || !element || typeof IntersectionObserver === 'undefined') return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) latest.current();
      },
      { rootMargin: '0px 0px 300px 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, enabled]);
}
