// The ops page's browser code, bundled with uPlot by esbuild into /_herald/ops/app.js.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './page.css';
import type { OpsPoint, OpsSnapshot } from '../ops-types';

const POLL_MS = 1000;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

function setText(id: string, text: string): void {
  const element = byId(id);
  if (element.textContent !== text) element.textContent = text;
}

function ms(value: number | null): string {
  if (value === null) return '–';
  return value < 1000 ? `${String(Math.round(value))} ms` : `${(value / 1000).toFixed(2)} s`;
}

function age(seconds: number): string {
  return seconds < 120 ? `${String(seconds)} s` : `${String(Math.floor(seconds / 60))} min`;
}

function chart(
  target: HTMLElement,
  title: string,
  series: { label: string; stroke: string }[],
): uPlot {
  const width = () => Math.max(320, target.clientWidth - 8);
  const plot = new uPlot(
    {
      title,
      // The legend names the lines; live cursor values would read `--` whenever nobody hovers.
      legend: { live: false },
      width: width(),
      height: 220,
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.15)] } },
      series: [{}, ...series.map((s) => ({ ...s, width: 2, points: { show: false } }))],
      axes: [{ stroke: '#9aa4b2' }, { stroke: '#9aa4b2', grid: { stroke: '#2a3140' } }],
    },
    [[], ...series.map(() => [])],
    target,
  );
  window.addEventListener('resize', () => {
    plot.setSize({ width: width(), height: 220 });
  });
  return plot;
}

function columns(history: readonly OpsPoint[], keys: (keyof OpsPoint)[]): uPlot.AlignedData {
  return [history.map((p) => p.t), ...keys.map((key) => history.map((p) => p[key]))];
}

function row(cells: string[], className?: string): HTMLTableRowElement {
  const tr = document.createElement('tr');
  if (className) tr.className = className;
  for (const text of cells) {
    const td = document.createElement('td');
    td.textContent = text;
    tr.append(td);
  }
  return tr;
}

function render(snapshot: OpsSnapshot, depth: uPlot, rates: uPlot): void {
  setText('label', snapshot.label);
  setText('updated', new Date(snapshot.at).toLocaleTimeString());
  setText('error', snapshot.error ? `last read failed: ${snapshot.error}` : '');
  setText('queue-depth', String(snapshot.queue.visible));
  setText('in-flight', String(snapshot.queue.inFlight));
  setText('dlq-depth', String(snapshot.dlq.visible));
  byId('dlq-tile').classList.toggle('bad', snapshot.dlq.visible > 0);
  setText('oldest-age', age(snapshot.queue.oldestAgeSeconds));
  setText('accepted-rate', snapshot.acceptedPerSecond.toFixed(1));
  setText('stored-rate', snapshot.storedPerSecond.toFixed(1));
  setText('latency-p50', ms(snapshot.latency.p50Ms));
  setText('latency-p99', ms(snapshot.latency.p99Ms));
  setText('stored-total', String(snapshot.storedLast15Minutes));
  byId('alarms').replaceChildren(
    ...snapshot.alarms.map((alarm) =>
      row(
        [
          alarm.name,
          alarm.state,
          alarm.threshold === undefined ? '' : `> ${String(alarm.threshold)}`,
          alarm.reason,
        ],
        `state-${alarm.state.toLowerCase()}`,
      ),
    ),
  );
  byId('mailbox').replaceChildren(
    ...snapshot.mailbox.map((entry) =>
      row([new Date(entry.at).toLocaleTimeString(), entry.subject, entry.to]),
    ),
  );
  depth.setData(columns(snapshot.history, ['depth', 'inFlight', 'dlqDepth']));
  rates.setData(columns(snapshot.history, ['acceptedPerSecond', 'storedPerSecond']));
}

function main(): void {
  const depth = chart(byId('depth-chart'), 'Depth, last 15 minutes', [
    { label: 'queue', stroke: '#4fa3ff' },
    { label: 'in flight', stroke: '#b48cff' },
    { label: 'DLQ', stroke: '#ff6b6b' },
  ]);
  const rates = chart(byId('rate-chart'), 'Messages per second, last 15 minutes', [
    { label: 'accepted/s', stroke: '#46d39a' },
    { label: 'stored/s', stroke: '#ffc857' },
  ]);
  // The page watches what its own query string names (?queue=&dlq=&table= on a suffixed stack).
  const url = `/_herald/ops.json${window.location.search}`;
  const poll = async (): Promise<void> => {
    try {
      const response = await fetch(url, { cache: 'no-store' });
      if (!response.ok) throw new Error(`HTTP ${String(response.status)}`);
      render((await response.json()) as OpsSnapshot, depth, rates);
    } catch (error) {
      setText(
        'error',
        `cannot read ${url}: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      window.setTimeout(() => void poll(), POLL_MS);
    }
  };
  void poll();
}

main();
