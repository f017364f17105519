import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, type BatchOverview } from './api';
import { Card, ConfirmDialog, ErrorNote, ProgressBar, StateBadge, type Confirmation } from './components';
import { Failures } from './failures';
import { etaText, formatDuration, formatNumber, formatRate, formatTime, isRunning } from './format';
import { usePolling } from './hooks';
import { RateChart, type Timeline } from './rate-chart';

/** One batch: counts, rate over time, failures by reason, settings and actions; live while it runs. */
export function BatchPage({ id }: { id: string }) {
  const [live, setLive] = useState(true);
  const overview = usePolling(() => api<BatchOverview>(`/batch/${id}/overview`), id, 1000, live);
  const timeline = usePolling(() => api<Timeline>(`/batch/${id}/progress/timeline`), id, 2000, live);
  const [confirmation, setConfirmation] = useState<Confirmation | undefined>(undefined);
  const batch = overview.data;

  useEffect(() => {
    // An ended batch no longer changes: stop polling it (after one last look at its timeline).
    if (batch && !isRunning(batch.state) && live) {
      timeline.reload();
      setLive(false);
    }
  }, [batch]);

  if (overview.error instanceof ApiError && overview.error.status === 404) {
    return (
      <section>
        <p>
          Batch {id} does not exist (or was deleted with its history). <a href="#/">All batches</a>
        </p>
      </section>
    );
  }
  if (!batch) return <ErrorNote error={overview.error} />;
  const running = isRunning(batch.state);
  const act = (confirmationToShow: Confirmation) =>
    setConfirmation({
      ...confirmationToShow,
      run: async (checked) => {
        await confirmationToShow.run(checked);
        setLive(true);
        overview.reload();
      },
    });

  return (
    <section class="batch" data-batch-id={batch.id} data-state={batch.state}>
      <p>
        <a href="#/">‹ All batches</a>
      </p>
      <h2>
        {batch.type} <StateBadge state={batch.state} />
      </h2>
      <p class="description">{batch.description}</p>
      <ErrorNote error={overview.error} />
      <ProgressBar total={batch.total} done={batch.done} failed={batch.failed} skipped={batch.skipped} />
      <div class="cards">
        <Card label="Instances" testId="total">
          {formatNumber(batch.total)}
        </Card>
        <Card label="Done" testId="done">
          {formatNumber(batch.done)}
        </Card>
        <Card label="Failed" testId="failed">
          {formatNumber(batch.failed)}
        </Card>
        <Card label="Skipped" testId="skipped">
          {formatNumber(batch.skipped)}
        </Card>
        <Card label="Pending" testId="pending">
          {formatNumber(batch.pending)}
        </Card>
        <Card label={running ? 'Rate (last minute)' : 'Average rate'}>
          {formatRate(batch.itemsPerSecond)}
        </Card>
        <Card label={running ? 'Estimated end' : 'Ended'} testId="eta">
          {running ? etaText(batch) : formatTime(batch.endTime)}
        </Card>
        <Card label="Created">{formatTime(batch.startTime)}</Card>
        <Card label="Duration">
          {batch.durationMs === null
            ? formatDuration(Date.now() - Date.parse(batch.startTime))
            : formatDuration(batch.durationMs)}
        </Card>
      </div>

      {running ? <Actions batch={batch} confirm={act} /> : null}

      <h3>Progress over time</h3>
      <RateChart timeline={timeline.data} />

      <h3>Failures by reason</h3>
      <Failures batchId={batch.id} live={running} failed={batch.failed} canAct={running} confirm={act} />

      <h3>Settings</h3>
      <dl class="settings">
        <dt>Batch id</dt>
        <dd>
          <code>{batch.id}</code>
        </dd>
        <dt>Created by</dt>
        <dd>{batch.createUserId ?? '—'}</dd>
        <dt>invocationsPerBatchJob</dt>
        <dd>{batch.invocationsPerBatchJob}</dd>
        <dt>batchJobsPerSeed</dt>
        <dd>{batch.batchJobsPerSeed}</dd>
        <dt>Execution jobs</dt>
        <dd>{formatNumber(batch.totalJobs)}</dd>
        <dt>{batch.type === 'instance-migration' ? 'Migration plan' : 'Instructions'}</dt>
        <dd>
          <p>{batch.description}</p>
          {batch.details.length > 0 ? (
            <ul class="details">
              {batch.details.map((line) => (
                <li>{line}</li>
              ))}
            </ul>
          ) : null}
        </dd>
      </dl>
      {confirmation ? (
        <ConfirmDialog confirmation={confirmation} onClose={() => setConfirmation(undefined)} />
      ) : null}
    </section>
  );
}

function Actions({ batch, confirm }: { batch: BatchOverview; confirm: (c: Confirmation) => void }) {
  const suspended = batch.state === 'suspended';
  return (
    <div class="actions">
      <button
        type="button"
        onClick={() =>
          confirm({
            title: suspended ? 'Activate batch' : 'Suspend batch',
            message: suspended
              ? 'Its remaining work is dispatched again.'
              : 'Nothing of the batch runs until it is activated again; jobs in progress finish first.',
            confirmLabel: suspended ? 'Activate' : 'Suspend',
            run: () =>
              api(`/batch/${batch.id}/suspended`, { method: 'PUT', body: { suspended: !suspended } }),
          })
        }
      >
        {suspended ? 'Activate' : 'Suspend'}
      </button>
      <button
        type="button"
        disabled={batch.failed === 0}
        onClick={() =>
          confirm({
            title: 'Retry all failures',
            message: `Retry the failed jobs holding the ${formatNumber(batch.failed)} failed instance(s). Fix their cause first, or they fail again.`,
            confirmLabel: 'Retry',
            run: () => api(`/batch/${batch.id}/failures/retry`, { method: 'POST', body: {} }),
          })
        }
      >
        Retry failed
      </button>
      <button
        type="button"
        class="danger"
        onClick={() =>
          confirm({
            title: 'Delete batch',
            message:
              'Its remaining jobs are removed; instances already migrated or modified stay as they are.',
            option: 'Also delete its history (and item outcomes)',
            confirmLabel: 'Delete',
            run: (cascade) => api(`/batch/${batch.id}?cascade=${cascade}`, { method: 'DELETE' }),
          })
        }
      >
        Delete
      </button>
    </div>
  );
}
