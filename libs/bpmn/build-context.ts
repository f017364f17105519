import type { LineLocator } from './line-locator';
import type { ProblemCollector } from './parse-problem';
import type { ReaderIssues } from './reader-warnings';

/** What every step of building a process model needs: where to report, and how to locate elements. */
export interface BuildContext {
  readonly problems: ProblemCollector;
  readonly locator: LineLocator;
  readonly reader: ReaderIssues;
}
