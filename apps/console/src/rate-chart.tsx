import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** `GET /batch/{id}/progress/timeline`: instances per second per bucket from the execution start. */
export interface Timeline {
  readonly bucketSeconds: number;
  readonly points: ReadonlyArray<{ readonly time: string; readonly itemsPerSecond: number }>;
}

/** The timeline as uPlot's columns: seconds since the epoch, and the rates. */
export function columns(timeline: Timeline | undefined): [number[], number[]] {
  const points = timeline?.points ?? [];
  return [points.map((point) => Date.parse(point.time) / 1000), points.map((point) => point.itemsPerSecond)];
}

/** The batch's progress over time in instances/s, drawn with uPlot and updated in place. */
export function RateChart({ timeline }: { timeline: Timeline | undefined }) {
  const container = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    plot.current = new uPlot(
      {
        width: Math.max(320, element.clientWidth),
        height: 220,
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
        axes: [{}, { label: 'instances/s', size: 70 }],
        series: [
          {},
          {
            label: 'instances/s',
            stroke: '#2f6fb3',
            fill: 'rgba(47, 111, 179, 0.15)',
            width: 2,
            paths: uPlot.paths.stepped?.({ align: 1 }),
          },
        ],
        legend: { show: true },
      },
      [[], []],
      element,
    );
    const resize = () => plot.current?.setSize({ width: Math.max(320, element.clientWidth), height: 220 });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(columns(timeline));
  }, [timeline]);

  return <div class="chart" ref={container} data-testid="rate-chart" />;
}
