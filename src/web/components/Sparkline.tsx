// A tiny trend line; the exact value sits next to it, so it is decoration for screen readers.
const WIDTH = 60;
const HEIGHT = 22;
const PAD = 2;

function toPoints(values: readonly number[]): string {
  const max = Math.max(...values);
  const min = Math.min(...values);
  const span = max - min || 1;
  const step = (WIDTH - 2 * PAD) / (values.length - 1);
  return values
    .map((value, index) => {
      const x = PAD + index * step;
      const y = HEIGHT - PAD - ((value - min) / span) * (HEIGHT - 2 * PAD);
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
}

export function Sparkline({ values }: { values: readonly number[] }) {
  const line = values.length >= 2 ? toPoints(values) : null;
  return (
    <svg
      className="sparkline"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width={WIDTH}
      height={HEIGHT}
      aria-hidden="true"
      focusable="false"
    >
      {line && (
        <>
          <polygon
            className="sparkline__area"
            points={`${PAD},${HEIGHT} ${line} ${WIDTH - PAD},${HEIGHT}`}
          />
          <polyline className="sparkline__line" points={line} />
        </>
      )}
    </svg>
  );
}
