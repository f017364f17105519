import { useState } from 'preact/hooks';
import { api, query, type BatchOverview } from './api';
import { ErrorNote, Pager, ProgressBar, StateBadge } from './components';
import {
  BATCH_TYPES,
  etaText,
  formatNumber,
  formatRate,
  formatTime,
  isRunning,
  STATE_LABELS,
} from './format';
import { usePolling } from './hooks';

const PAGE_SIZE = 20;

interface Filters {
  type: string;
  state: string;
  createdBy: string;
}

/** Running and ended batches, newest first, paged and filtered on the server; live while shown. */
export function BatchesPage() {
  const [filters, setFilters] = useState<Filters>({ type: '', state: '', createdBy: '' });
  const [first, setFirst] = useState(0);
  const params = { type: filters.type, state: filters.state, createdBy: filters.createdBy };
  const key = JSON.stringify({ ...params, first });
  const list = usePolling(
    () =>
      api<BatchOverview[]>(
        `/batch/overview${query({ ...params, firstResult: first, maxResults: PAGE_SIZE })}`,
      ),
    key,
    1000,
  );
  const count = usePolling(() => api<{ count: number }>(`/batch/overview/count${query(params)}`), key, 5000);
  const change = (patch: Partial<Filters>) => {
    setFilters({ ...filters, ...patch });
    setFirst(0);
  };

  return (
    <section>
      <h2>Batches</h2>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Type{' '}
          <select
            name="type"
            value={filters.type}
            onChange={(event) => change({ type: event.currentTarget.value })}
          >
            <option value="">all</option>
            {BATCH_TYPES.map((type) => (
              <option value={type}>{type}</option>
            ))}
          </select>
        </label>
        <label>
          State{' '}
          <select
            name="state"
            value={filters.state}
            onChange={(event) => change({ state: event.currentTarget.value })}
          >
            <option value="">all</option>
            {Object.entries(STATE_LABELS).map(([state, label]) => (
              <option value={state}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          User{' '}
          <input
            name="createdBy"
            value={filters.createdBy}
            placeholder="any"
            onChange={(event) => change({ createdBy: event.currentTarget.value.trim() })}
          />
        </label>
      </form>
      <ErrorNote error={list.error} />
      <table class="batches">
        <thead>
          <tr>
            <th>Type</th>
            <th>Description</th>
            <th>User</th>
            <th>Created</th>
            <th>State</th>
            <th class="wide">Progress (instances)</th>
            <th>Rate</th>
            <th>ETA</th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((batch) => (
            <BatchRow batch={batch} key={batch.id} />
          ))}
          {list.data?.length === 0 ? (
            <tr>
              <td colSpan={8} class="empty">
                No batches
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
      <Pager
        first={first}
        size={PAGE_SIZE}
        count={count.data?.count}
        shown={list.data?.length ?? 0}
        onPage={setFirst}
      />
    </section>
  );
}

function BatchRow({ batch }: { batch: BatchOverview }) {
  const handled = batch.done + batch.failed + batch.skipped;
  return (
    <tr data-batch-id={batch.id} data-state={batch.state}>
      <td>
        <a href={`#/batch/${batch.id}`}>{batch.type}</a>
      </td>
      <td class="description" title={batch.description}>
        {batch.description}
      </td>
      <td>{batch.createUserId ?? '—'}</td>
      <td>{formatTime(batch.startTime)}</td>
      <td>
        <StateBadge state={batch.state} />
      </td>
      <td class="wide">
        <ProgressBar total={batch.total} done={batch.done} failed={batch.failed} skipped={batch.skipped} />
        <small>
          {formatNumber(handled)} / {formatNumber(batch.total)}
          {batch.failed > 0 ? ` · ${formatNumber(batch.failed)} failed` : ''}
        </small>
      </td>
      <td class="rate">
        {isRunning(batch.state)
          ? formatRate(batch.itemsPerSecond)
          : formatRate(batch.itemsPerSecond) + ' avg'}
      </td>
      <td class="eta">{isRunning(batch.state) ? etaText(batch) : 'ended'}</td>
    </tr>
  );
}
