// Loads now, then again `intervalMs` after each answer (never two requests in flight).
import { useEffect, useState } from 'react';
import { asError } from '../lib/errors.ts';

export interface PollState<T> {
  data: T | null;
  /** The last failure; cleared by the next success. Data from before it is kept. */
  error: Error | null;
}

export function usePoll<T>(
  load: (signal: AbortSignal) => Promise<T>,
  intervalMs: number,
): PollState<T> {
  const [state, setState] = useState<PollState<T>>({ data: null, error: null });

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const data = await load(controller.signal);
        setState({ data, error: null });
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ data: previous.data, error: asError(error) }));
      }
      if (!controller.signal.aborted) timer = setTimeout(tick, intervalMs);
    };
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [load, intervalMs]);

  return state;
}
