import { useState } from 'preact/hooks';
import { api, query, type FailedItem, type FailureGroup } from './api';
import { ErrorNote, Pager, type Confirmation } from './components';
import { formatNumber, formatTime } from './format';
import { usePolling } from './hooks';

const GROUPS_PAGE = 10;
const ITEMS_PAGE = 20;

/** A batch's failures grouped by reason (paged), each group expandable to its instances (paged). */
export function Failures(props: {
  batchId: string;
  live: boolean;
  failed: number;
  canAct: boolean;
  confirm: (confirmation: Confirmation) => void;
}) {
  const { batchId, live, confirm, canAct } = props;
  const [first, setFirst] = useState(0);
  const key = `${batchId}:${first}:${props.failed}`;
  const groups = usePolling(
    () =>
      api<FailureGroup[]>(
        `/batch/${batchId}/failures${query({ firstResult: first, maxResults: GROUPS_PAGE })}`,
      ),
    key,
    2000,
    live,
  );
  const count = usePolling(() => api<{ count: number }>(`/batch/${batchId}/failures/count`), key, 5000, live);
  if (groups.data?.length === 0 && first === 0) return <p class="muted">No failures.</p>;
  return (
    <div class="failures">
      <ErrorNote error={groups.error} />
      {(groups.data ?? []).map((group) => (
        <FailureGroupRow
          key={group.reason}
          batchId={batchId}
          group={group}
          canAct={canAct}
          confirm={confirm}
        />
      ))}
      {(count.data?.count ?? 0) > GROUPS_PAGE ? (
        <Pager
          first={first}
          size={GROUPS_PAGE}
          count={count.data?.count}
          shown={groups.data?.length ?? 0}
          onPage={setFirst}
        />
      ) : null}
    </div>
  );
}

function FailureGroupRow(props: {
  batchId: string;
  group: FailureGroup;
  canAct: boolean;
  confirm: (confirmation: Confirmation) => void;
}) {
  const { batchId, group, confirm, canAct } = props;
  const [open, setOpen] = useState(false);
  const retry = () =>
    confirm({
      title: 'Retry this failure group',
      message: `Retry the failed jobs holding the ${formatNumber(group.count)} instance(s) that failed with: ${group.reason}`,
      confirmLabel: 'Retry',
      run: () => api(`/batch/${batchId}/failures/retry`, { method: 'POST', body: { reason: group.reason } }),
    });
  const giveUp = () =>
    confirm({
      title: 'Give up this failure group',
      message: `Give up the ${formatNumber(group.count)} instance(s) that failed with: ${group.reason}. They are marked skipped and left as they are; the batch can then complete without them.`,
      confirmLabel: 'Give up',
      run: () => api(`/batch/${batchId}/failures/delete`, { method: 'POST', body: { reason: group.reason } }),
    });
  return (
    <div class="failure-group" data-reason={group.reason}>
      <div class="failure-head">
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? '▾' : '▸'}
        </button>
        <span class="failure-count" data-testid="failure-count">
          {formatNumber(group.count)}
        </span>
        <span class="failure-reason">{group.reason}</span>
        {canAct ? (
          <span class="failure-actions">
            <button type="button" onClick={retry}>
              Retry group
            </button>
            <button type="button" class="danger" onClick={giveUp}>
              Give up group
            </button>
          </span>
        ) : null}
      </div>
      {open ? <FailedItems batchId={batchId} reason={group.reason} count={group.count} /> : null}
    </div>
  );
}

function FailedItems(props: { batchId: string; reason: string; count: number }) {
  const { batchId, reason, count } = props;
  const [first, setFirst] = useState(0);
  const items = usePolling(
    () =>
      api<FailedItem[]>(
        `/batch/${batchId}/failures/items${query({ reason, firstResult: first, maxResults: ITEMS_PAGE })}`,
      ),
    `${batchId}:${reason}:${first}`,
    5000,
    false,
  );
  return (
    <div class="failed-items">
      <ErrorNote error={items.error} />
      <ul>
        {(items.data ?? []).map((item) => {
          const subject = item.processInstanceId ?? item.jobId ?? '?';
          return (
            <li key={subject}>
              {item.processInstanceId ? (
                <a href={`#/instance/${item.processInstanceId}`}>{item.processInstanceId}</a>
              ) : (
                <code>job {subject}</code>
              )}{' '}
              <span class="muted">{formatTime(item.updated)}</span>
              <details>
                <summary>full error and validation report</summary>
                <pre>{JSON.stringify(item.error, null, 2)}</pre>
              </details>
            </li>
          );
        })}
      </ul>
      <Pager
        first={first}
        size={ITEMS_PAGE}
        count={count}
        shown={items.data?.length ?? 0}
        onPage={setFirst}
      />
    </div>
  );
}
