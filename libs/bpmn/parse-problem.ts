/**
 * Errors and warnings about a BPMN resource, shaped like the `Problem`s of Camunda's `ParseException`
 * (`details: {<resourceName>: {errors, warnings}}`), and the collector the parser reports them to.
 */
import type { LineLocator, SourcePosition } from './line-locator';
import type { ProcessModel } from './model';

/** One error or warning about a BPMN resource. */
export interface ParseProblem {
  message: string;
  /** 1-based line and column where the element's start tag (or the XML syntax error) is; `null` if unknown. */
  line: number | null;
  column: number | null;
  /** The element the problem is about, `null` for problems of the whole resource. */
  mainBpmnElementId: string | null;
  /** Every element involved, the main one first (empty when there is none), as Camunda lists them. */
  bpmnElementIds: string[];
}

/**
 * The outcome of parsing one resource: the executable processes, or every error found. Warnings never
 * block a deployment. Everything in it is frozen.
 */
export type ParseResult =
  | { ok: true; processes: ProcessModel[]; warnings: ParseProblem[] }
  | { ok: false; errors: ParseProblem[]; warnings: ParseProblem[] };

/** What a problem is about: an element, others involved, and a position when the id cannot locate it. */
export interface ProblemSite {
  readonly elementId: string | null;
  readonly relatedIds?: readonly string[];
  /** Overrides the position found from `elementId` (e.g. for an element without id, or a syntax error). */
  readonly position?: SourcePosition | null;
}

/** Accumulates problems while one resource is parsed, locating each element in the XML text. */
export class ProblemCollector {
  private readonly errors: ParseProblem[] = [];
  private readonly warnings: ParseProblem[] = [];

  constructor(private readonly locator: LineLocator) {}

  /** Records a problem that makes the resource undeployable. */
  error(message: string, site: ProblemSite): void {
    this.errors.push(this.problem(message, site));
  }

  /** Records a problem worth telling the author that does not block deployment. */
  warning(message: string, site: ProblemSite): void {
    this.warnings.push(this.problem(message, site));
  }

  get hasErrors(): boolean {
    return this.errors.length > 0;
  }

  /** The final result: `ok` with the processes when no error was recorded. */
  result(processes: readonly ProcessModel[]): ParseResult {
    const warnings = Object.freeze([...this.warnings]) as ParseProblem[];
    if (this.hasErrors) {
      return Object.freeze({
        ok: false,
        errors: Object.freeze([...this.errors]) as ParseProblem[],
        warnings,
      });
    }
    return Object.freeze({ ok: true, processes: Object.freeze([...processes]) as ProcessModel[], warnings });
  }

  private problem(message: string, site: ProblemSite): ParseProblem {
    const position =
      site.position !== undefined
        ? site.position
        : site.elementId === null
          ? null
          : this.locator.positionOfId(site.elementId);
    const ids = [site.elementId, ...(site.relatedIds ?? [])].filter((id): id is string => id !== null);
    return Object.freeze({
      message,
      line: position?.line ?? null,
      column: position?.column ?? null,
      mainBpmnElementId: site.elementId,
      bpmnElementIds: Object.freeze([...new Set(ids)]) as string[],
    });
  }
}
