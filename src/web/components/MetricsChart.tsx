import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import type { ChannelMetrics, Moment } from '../backend/types.ts';
import { chartHeight, chartOptions, toChartData } from '../lib/chart.ts';

interface Props {
  metrics: readonly ChannelMetrics[];
  moments: readonly Moment[];
  loaded: boolean;
}

export function MetricsChart({ metrics, moments, loaded }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shownMoments = useRef(moments);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    let width = element.clientWidth;
    const chart = new uPlot(
      chartOptions(width, () => shownMoments.current),
      [[], [], []],
      element,
    );
    plot.current = chart;
    const observer = new ResizeObserver(() => {
      if (element.clientWidth === width) return;
      width = element.clientWidth;
      chart.setSize({ width, height: chartHeight(width) });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(toChartData(metrics));
  }, [metrics]);

  useEffect(() => {
    shownMoments.current = moments;
    plot.current?.redraw(false);
  }, [moments]);

  return (
    <figure className="metrics-chart" data-testid="metrics-chart">
      <div ref={container} className="metrics-chart__plot" />
      {loaded && metrics.length === 0 && (
        <p className="metrics-chart__empty">No chat measured in the last hour.</p>
      )}
      <figcaption className="metrics-chart__caption">
        Chat rate and unique chatters per 1-minute window; moments are shaded. Drag to zoom,
        double-click to reset.
      </figcaption>
    </figure>
  );
}
