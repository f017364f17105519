import { useEffect, useRef, useState } from 'preact/hooks';
import { layoutProcess } from 'bpmn-auto-layout';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { api, ApiError, type ActivityInstance, type InstanceBatch } from './api';
import { ErrorNote, StateBadge } from './components';
import { formatTime } from './format';
import { usePolling } from './hooks';

interface InstanceView {
  definitionId: string;
  state: string;
  /** Null once the instance has ended (no runtime tree). */
  tree: ActivityInstance | null;
  xml: string;
}

/** Loads the instance (runtime, else history), its activity-instance tree and its definition's diagram. */
async function loadInstance(id: string): Promise<InstanceView> {
  let definitionId: string;
  let state: string;
  let tree: ActivityInstance | null = null;
  try {
    const instance = await api<{ definitionId: string; suspended: boolean }>(`/process-instance/${id}`);
    definitionId = instance.definitionId;
    state = instance.suspended ? 'SUSPENDED' : 'ACTIVE';
    tree = await api<ActivityInstance>(`/process-instance/${id}/activity-instances`);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 404) throw error;
    const historic = await api<{ processDefinitionId: string; state: string }>(
      `/history/process-instance/${id}`,
    );
    definitionId = historic.processDefinitionId;
    state = historic.state;
  }
  const { bpmn20Xml } = await api<{ bpmn20Xml: string }>(`/process-definition/${definitionId}/xml`);
  return { definitionId, state, tree, xml: bpmn20Xml };
}

/** Activity instances (and transition instances, i.e. tokens before an async activity) per activity id. */
export function countsByActivity(tree: ActivityInstance): Map<string, number> {
  const counts = new Map<string, number>();
  const visit = (node: ActivityInstance) => {
    for (const child of node.childActivityInstances) {
      counts.set(child.activityId, (counts.get(child.activityId) ?? 0) + 1);
      visit(child);
    }
    for (const transition of node.childTransitionInstances)
      counts.set(transition.activityId, (counts.get(transition.activityId) ?? 0) + 1);
  };
  visit(tree);
  return counts;
}

/** An instance: its activity-instance tree on the BPMN diagram, the tree as a list, and its batches. */
export function InstancePage({ id }: { id: string }) {
  const view = usePolling(() => loadInstance(id), id, 5000, false);
  const batches = usePolling(() => api<InstanceBatch[]>(`/process-instance/${id}/batches`), id, 5000, false);
  return (
    <section class="instance">
      <p>
        <a href="#/">‹ All batches</a>
      </p>
      <h2>
        Process instance <code>{id}</code>
      </h2>
      <ErrorNote error={view.error} />
      {view.data ? (
        <>
          <p>
            Definition <code>{view.data.definitionId}</code> · state <strong>{view.data.state}</strong>
          </p>
          <Diagram xml={view.data.xml} tree={view.data.tree} />
          <h3>Activity instances</h3>
          {view.data.tree ? <Tree node={view.data.tree} /> : <p class="muted">The instance has ended.</p>}
        </>
      ) : null}
      <h3>Batches that touched this instance</h3>
      <ErrorNote error={batches.error} />
      <table class="instance-batches">
        <thead>
          <tr>
            <th>Batch</th>
            <th>Description</th>
            <th>Created</th>
            <th>Batch state</th>
            <th>This instance</th>
          </tr>
        </thead>
        <tbody>
          {(batches.data ?? []).map((batch) => (
            <tr key={batch.id}>
              <td>
                <a href={`#/batch/${batch.id}`}>{batch.type}</a>
              </td>
              <td>{batch.description}</td>
              <td>{formatTime(batch.startTime)}</td>
              <td>
                <StateBadge state={batch.state} />
              </td>
              <td>
                {batch.itemState}
                {batch.error ? (
                  <details>
                    <summary>{batch.error.message ?? batch.error.type}</summary>
                    <pre>{JSON.stringify(batch.error, null, 2)}</pre>
                  </details>
                ) : null}
              </td>
            </tr>
          ))}
          {batches.data?.length === 0 ? (
            <tr>
              <td colSpan={5} class="empty">
                No batch has touched this instance
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

function Tree({ node }: { node: ActivityInstance }) {
  return (
    <ul class="tree">
      <li>
        <strong>{node.activityName ?? node.activityId}</strong> <span class="muted">{node.activityType}</span>{' '}
        <code class="muted">{node.id}</code>
        {node.childActivityInstances.map((child) => (
          <Tree node={child} key={child.id} />
        ))}
        {node.childTransitionInstances.length > 0 ? (
          <ul class="tree">
            {node.childTransitionInstances.map((transition) => (
              <li key={transition.id}>
                {transition.activityName ?? transition.activityId}{' '}
                <span class="muted">transition (async)</span>
              </li>
            ))}
          </ul>
        ) : null}
      </li>
    </ul>
  );
}

interface Overlays {
  add(element: string, overlay: { position: { top?: number; right?: number }; html: HTMLElement }): string;
}

/** The badge drawn on an activity: how many of its instances the instance has. */
function countBadge(activityId: string, count: number): HTMLElement {
  const badge = document.createElement('span');
  badge.className = 'instance-count';
  badge.dataset.activity = activityId;
  badge.textContent = String(count);
  return badge;
}
interface Canvas {
  addMarker(element: string, marker: string): void;
  zoom(level: string): void;
}

/** Whether the XML carries diagram information (`bpmndi:BPMNDiagram`, under any prefix). */
const hasDiagram = (xml: string) => /<([\w-]+:)?BPMNDiagram[\s>]/.test(xml);

/**
 * The definition's diagram (bpmn-js viewer), each activity with instances marked and counted. A
 * definition deployed without diagram information (e.g. generated by a program) is laid out here.
 */
function Diagram({ xml, tree }: { xml: string; tree: ActivityInstance | null }) {
  const container = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<Error | undefined>(undefined);
  const generated = !hasDiagram(xml);
  useEffect(() => {
    if (!container.current) return undefined;
    const viewer = new NavigatedViewer({ container: container.current });
    (generated ? layoutProcess(xml) : Promise.resolve(xml))
      .then((drawable) => viewer.importXML(drawable))
      .then(() => {
        const canvas = viewer.get<Canvas>('canvas');
        const overlays = viewer.get<Overlays>('overlays');
        canvas.zoom('fit-viewport');
        if (!tree) return;
        for (const [activityId, count] of countsByActivity(tree)) {
          try {
            canvas.addMarker(activityId, 'has-instances');
            overlays.add(activityId, {
              position: { top: -12, right: 12 },
              html: countBadge(activityId, count),
            });
          } catch {
            // An activity of the tree that the diagram does not draw (e.g. the process itself).
          }
        }
      })
      .catch((reason: unknown) => setError(reason instanceof Error ? reason : new Error(String(reason))));
    return () => viewer.destroy();
  }, [xml, tree, generated]);
  return (
    <>
      {generated ? (
        <p class="muted">The definition was deployed without a diagram: this layout is generated.</p>
      ) : null}
      <ErrorNote error={error} />
      <div class="diagram" ref={container} data-testid="diagram" />
    </>
  );
}
