/**
 * Finds where elements are in the raw XML text, since bpmn-moddle keeps no positions. One pass indexes
 * every start tag (offset, local name, `id` attribute, enclosing tag); comments, CDATA, processing
 * instructions and the doctype are skipped so text inside them never counts as an element.
 */

/** A 1-based line and column (columns count UTF-16 code units, as editors mostly do). */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

interface StartTag {
  readonly offset: number;
  readonly localName: string;
  readonly id: string | null;
  /** Index of the enclosing start tag, or -1 at the document root. */
  readonly parent: number;
}

const NAME = '[A-Za-z_][\\w.-]*(?::[A-Za-z_][\\w.-]*)?';
const ATTRIBUTE = `\\s+[^\\s=/>"']+\\s*=\\s*(?:"[^"]*"|'[^']*')`;
const MARKUP = new RegExp(
  [
    '<!--[\\s\\S]*?-->',
    '<!\\[CDATA\\[[\\s\\S]*?\\]\\]>',
    '<\\?[\\s\\S]*?\\?>',
    '<!DOCTYPE(?:[^>\\[]|\\[[\\s\\S]*?\\])*>',
    `<(/?)(${NAME})((?:${ATTRIBUTE})*)\\s*(/?)>`,
  ].join('|'),
  'g',
);
const ID_ATTRIBUTE = /(?:^|\s)id\s*=\s*(?:"([^"]*)"|'([^']*)')/;
const LINE_BREAK = /\r\n|\r|\n/g;

/** Positions of elements in one XML text. Build once per resource; lookups are cheap. */
export class LineLocator {
  private readonly lineStarts: number[] = [0];
  private readonly tags: StartTag[] = [];
  private readonly tagById = new Map<string, number>();
  private readonly tagByOffset = new Map<number, number>();

  constructor(xml: string) {
    for (const match of xml.matchAll(LINE_BREAK)) {
      this.lineStarts.push(match.index + match[0].length);
    }
    this.indexTags(xml);
  }

  /** Where the start tag of the (first) element with this `id` begins. */
  positionOfId(id: string): SourcePosition | null {
    const index = this.tagById.get(id);
    return index === undefined ? null : this.positionOfOffset(this.tag(index).offset);
  }

  /**
   * Where an element without id begins: the `occurrence`-th (0-based) id-less child named `localName`
   * of the element with `parentId`.
   */
  positionOfIdless(parentId: string, localName: string, occurrence: number): SourcePosition | null {
    const parent = this.tagById.get(parentId);
    if (parent === undefined) return null;
    let seen = 0;
    for (let index = parent + 1; index < this.tags.length; index++) {
      const tag = this.tag(index);
      if (tag.parent !== parent || tag.localName !== localName || tag.id !== null) continue;
      if (seen === occurrence) return this.positionOfOffset(tag.offset);
      seen++;
    }
    return null;
  }

  /** The `id` attribute of the start tag that begins exactly at `position`, if any. */
  idAt(position: SourcePosition): string | null {
    const index = this.tagIndexAt(position);
    return index === undefined ? null : this.tag(index).id;
  }

  /** The id of the start tag at `position` or, when it has none, of the nearest enclosing tag that has one. */
  enclosingIdAt(position: SourcePosition): string | null {
    for (let index = this.tagIndexAt(position) ?? -1; index >= 0; index = this.tag(index).parent) {
      const { id } = this.tag(index);
      if (id !== null) return id;
    }
    return null;
  }

  /** Converts a 0-based character offset into a 1-based line and column. */
  positionOfOffset(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.lineStarts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - (this.lineStarts[low] ?? 0) + 1 };
  }

  private indexTags(xml: string): void {
    const open: number[] = [];
    for (const match of xml.matchAll(MARKUP)) {
      const [, closing, name, attributes, selfClosing] = match;
      if (name === undefined) continue; // comment, CDATA, processing instruction or doctype
      if (closing === '/') {
        open.pop();
        continue;
      }
      const index = this.tags.length;
      const id = ID_ATTRIBUTE.exec(attributes ?? '');
      this.tags.push({
        offset: match.index,
        localName: name.slice(name.indexOf(':') + 1),
        id: id ? (id[1] ?? id[2] ?? null) : null,
        parent: open.at(-1) ?? -1,
      });
      this.tagByOffset.set(match.index, index);
      const tagId = this.tag(index).id;
      if (tagId !== null && !this.tagById.has(tagId)) this.tagById.set(tagId, index);
      if (selfClosing !== '/') open.push(index);
    }
  }

  private tagIndexAt(position: SourcePosition): number | undefined {
    const lineStart = this.lineStarts[position.line - 1];
    return lineStart === undefined ? undefined : this.tagByOffset.get(lineStart + position.column - 1);
  }

  private tag(index: number): StartTag {
    const tag = this.tags[index];
    if (tag === undefined) throw new RangeError(`No start tag at index ${index}`);
    return tag;
  }
}
