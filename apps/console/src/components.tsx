import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { formatNumber, STATE_LABELS } from './format';

/** Done / failed / skipped / pending over the items, as one bar. */
export function ProgressBar(props: { total: number; done: number; failed: number; skipped: number }) {
  const { total, done, failed, skipped } = props;
  const share = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  const title = `${formatNumber(done)} done, ${formatNumber(failed)} failed, ${formatNumber(skipped)} skipped, ${formatNumber(total - done - failed - skipped)} pending of ${formatNumber(total)}`;
  return (
    <div
      class="progress"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={total}
      aria-valuenow={done + failed + skipped}
      title={title}
      data-done={done}
      data-failed={failed}
    >
      <span class="progress-done" style={{ width: `${share(done)}%` }} />
      <span class="progress-failed" style={{ width: `${share(failed)}%` }} />
      <span class="progress-skipped" style={{ width: `${share(skipped)}%` }} />
    </div>
  );
}

export function StateBadge({ state }: { state: string }) {
  return <span class={`badge badge-${state}`}>{STATE_LABELS[state] ?? state}</span>;
}

export function ErrorNote({ error }: { error: Error | undefined }) {
  return error ? (
    <p class="error" role="alert">
      {error.message}
    </p>
  ) : null;
}

/** Previous / next over a server-side paged list. */
export function Pager(props: {
  first: number;
  size: number;
  count: number | undefined;
  shown: number;
  onPage: (first: number) => void;
}) {
  const { first, size, count, shown, onPage } = props;
  const hasNext = count === undefined ? shown === size : first + size < count;
  return (
    <div class="pager">
      <button type="button" disabled={first === 0} onClick={() => onPage(Math.max(0, first - size))}>
        ‹ Previous
      </button>
      <span>
        {shown === 0 ? 0 : first + 1}–{first + shown}
        {count === undefined ? '' : ` of ${formatNumber(count)}`}
      </span>
      <button type="button" disabled={!hasNext} onClick={() => onPage(first + size)}>
        Next ›
      </button>
    </div>
  );
}

export interface Confirmation {
  readonly title: string;
  readonly message: string;
  readonly confirmLabel: string;
  /** An option the operator may tick, e.g. "also delete the history". */
  readonly option?: string;
  readonly run: (optionChecked: boolean) => Promise<unknown>;
}

/** Asks before an action runs; shows the action's error, if any, in place. */
export function ConfirmDialog(props: { confirmation: Confirmation; onClose: () => void }) {
  const { confirmation, onClose } = props;
  const [checked, setChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>(undefined);
  const confirm = () => {
    setBusy(true);
    confirmation
      .run(checked)
      .then(onClose)
      .catch((reason: unknown) => {
        setBusy(false);
        setError(reason instanceof Error ? reason : new Error(String(reason)));
      });
  };
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-label={confirmation.title}>
        <h3>{confirmation.title}</h3>
        <p>{confirmation.message}</p>
        {confirmation.option ? (
          <label class="option">
            <input
              type="checkbox"
              checked={checked}
              onChange={(event) => setChecked(event.currentTarget.checked)}
            />{' '}
            {confirmation.option}
          </label>
        ) : null}
        <ErrorNote error={error} />
        <div class="dialog-actions">
          <button type="button" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="button" class="danger" onClick={confirm} disabled={busy}>
            {confirmation.confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}

export function Card(props: { label: string; children: ComponentChildren; testId?: string }) {
  return (
    <div class="card">
      <div class="card-label">{props.label}</div>
      <div class="card-value" data-testid={props.testId}>
        {props.children}
      </div>
    </div>
  );
}
