import { render } from 'preact';
import { BatchPage } from './batch-page';
import { BatchesPage } from './batches-page';
import { useHashPath } from './hooks';
import { InstancePage } from './instance-page';

/** The console's pages, addressed by the location hash so the server serves one page. */
function Console() {
  const path = useHashPath();
  const [, page, id] = path.split('/');
  const decoded = id === undefined ? '' : decodeURIComponent(id);
  return (
    <>
      <header class="top">
        <a class="brand" href="#/">
          batch-ops console
        </a>
        <nav>
          <a href="#/">Batches</a>
          <a href="/admin/queues">Queues (Bull Board)</a>
          <a href="/metrics">Metrics</a>
          <a href="/">Home</a>
        </nav>
      </header>
      <main>
        {page === 'batch' && decoded ? (
          <BatchPage id={decoded} key={decoded} />
        ) : page === 'instance' && decoded ? (
          <InstancePage id={decoded} key={decoded} />
        ) : (
          <BatchesPage />
        )}
      </main>
    </>
  );
}

render(<Console />, document.getElementById('app')!);
