// uPlot setup for a channel's chat activity: chat rate (left axis), unique chatters (right
// axis) and the channel's moments as shaded spans with a dashed line at their peak.
import uPlot from 'uplot';
import type { ChannelMetrics, Moment } from '../backend/types.ts';
import { EMPTY, formatClock, formatCount, formatRate } from './format.ts';

const COLORS = {
  rate: '#b48cff',
  rateFill: 'rgba(180, 140, 255, 0.14)',
  chatters: '#2dd4bf',
  momentSpan: 'rgba(251, 191, 36, 0.16)',
  momentPeak: '#fbbf24',
  axis: '#a3a3b8',
  grid: 'rgba(255, 255, 255, 0.07)',
};

export function chartHeight(width: number): number {
  return width < 600 ? 220 : 300;
}

export function toChartData(metrics: readonly ChannelMetrics[]): uPlot.AlignedData {
  return [
    metrics.map((window) => window.ts),
    metrics.map((window) => window.chat_rate),
    metrics.map((window) => window.unique_chatters),
  ];
}

function fromZero(_plot: uPlot, _min: number, max: number): uPlot.Range.MinMax {
  return [0, max > 0 ? max * 1.15 : 1];
}

function drawMoment(plot: uPlot, moment: Moment, xMin: number, xMax: number): void {
  if (moment.end_ts < xMin || moment.start_ts > xMax) return;
  const { ctx, bbox } = plot;
  const px = uPlot.pxRatio;
  const left = plot.valToPos(Math.max(moment.start_ts, xMin), 'x', true);
  const right = plot.valToPos(Math.min(moment.end_ts, xMax), 'x', true);
  ctx.fillStyle = COLORS.momentSpan;
  ctx.fillRect(left, bbox.top, Math.max(right - left, 3 * px), bbox.height);
  const peak = Math.round(plot.valToPos(moment.peak_ts, 'x', true)) + 0.5;
  ctx.strokeStyle = COLORS.momentPeak;
  ctx.lineWidth = px;
  ctx.setLineDash([4 * px, 3 * px]);
  ctx.beginPath();
  ctx.moveTo(peak, bbox.top);
  ctx.lineTo(peak, bbox.top + bbox.height);
  ctx.stroke();
  ctx.fillStyle = COLORS.momentPeak;
  ctx.beginPath();
  ctx.arc(peak, bbox.top + 4 * px, 3.5 * px, 0, 2 * Math.PI);
  ctx.fill();
}

/** Draws under the series so the lines stay readable across a moment. */
function momentsPlugin(moments: () => readonly Moment[]): uPlot.Plugin {
  return {
    hooks: {
      drawAxes: (plot) => {
        const { min, max } = plot.scales.x ?? {};
        if (min === undefined || max === undefined) return;
        const { ctx, bbox } = plot;
        ctx.save();
        ctx.beginPath();
        ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
        ctx.clip();
        for (const moment of moments()) drawMoment(plot, moment, min, max);
        ctx.restore();
      },
    },
  };
}

const minutes = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const seconds = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Times of day only (the page is about the last hour), with seconds when ticks are closer than a minute. */
function timeTicks(_plot: uPlot, ticks: number[]): string[] {
  const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
  const format = step > 0 && step < 60_000 ? seconds : minutes;
  return ticks.map((ts) => format.format(ts));
}

function axis(scale: string, side: 1 | 3, grid: boolean, stroke = COLORS.axis): uPlot.Axis {
  return {
    scale,
    side,
    stroke,
    font: '12px system-ui, sans-serif',
    grid: { show: grid, stroke: COLORS.grid, width: 1 },
    ticks: { show: false },
    size: 48,
  };
}

export function chartOptions(width: number, moments: () => readonly Moment[]): uPlot.Options {
  const shown = (format: (value: number) => string) => (_plot: uPlot, value: number | null) =>
    value === null ? EMPTY : format(value);
  return {
    width,
    height: chartHeight(width),
    ms: 1,
    plugins: [momentsPlugin(moments)],
    cursor: { points: { size: 8 } },
    scales: { x: { time: true }, rate: { range: fromZero }, chatters: { range: fromZero } },
    series: [
      { label: 'Time', value: shown((ts) => formatClock(ts, Date.now())) },
      {
        label: 'Chat rate',
        scale: 'rate',
        stroke: COLORS.rate,
        fill: COLORS.rateFill,
        width: 2,
        points: { show: false },
        value: shown((rate) => `${formatRate(rate)} msg/s`),
      },
      {
        label: 'Unique chatters',
        scale: 'chatters',
        stroke: COLORS.chatters,
        width: 1.5,
        points: { show: false },
        value: shown(formatCount),
      },
    ],
    axes: [
      { ...axis('x', 1, true), side: 2, size: 32, space: 70, values: timeTicks },
      axis('rate', 3, true, COLORS.rate),
      {
        ...axis('chatters', 1, false, COLORS.chatters),
        // Whole people only: no 0.2-chatter ticks on a quiet channel.
        incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 20_000, 50_000],
        values: (_plot, ticks) => ticks.map(formatCount),
      },
    ],
  };
}
