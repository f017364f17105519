import { LineLocator } from './line-locator';

describe('LineLocator', () => {
  it('finds the start tag of an element by its id, with 1-based line and column', () => {
    const locator = new LineLocator('<a id="root">\n  <b id="child"/>\n</a>');

    expect(locator.positionOfId('root')).toEqual({ line: 1, column: 1 });
    expect(locator.positionOfId('child')).toEqual({ line: 2, column: 3 });
    expect(locator.positionOfId('missing')).toBeNull();
  });

  it('points at the opening bracket when the id is on a later line of the start tag', () => {
    const locator = new LineLocator('<a>\n  <task name="x"\n        id="late" />\n</a>');

    expect(locator.positionOfId('late')).toEqual({ line: 2, column: 3 });
  });

  it('ignores ids inside comments, CDATA sections and processing instructions', () => {
    const xml = [
      '<?xml version="1.0"?>',
      '<!-- <task id="t" /> -->',
      '<a><![CDATA[ <task id="t" /> ]]>',
      '<?pi <task id="t" /> ?>',
      '<task id="t" /></a>',
    ].join('\n');

    expect(new LineLocator(xml).positionOfId('t')).toEqual({ line: 5, column: 1 });
  });

  it('reads only the id attribute, even with > in values and single quotes', () => {
    const xml =
      '<a>\n<shape bpmnElement="t" camunda:id="t" name="a > b" />\n<task name=\'x > y\' id=\'t\'/></a>';

    expect(new LineLocator(xml).positionOfId('t')).toEqual({ line: 3, column: 1 });
  });

  it('counts CRLF and CR line breaks', () => {
    const locator = new LineLocator('<a>\r\n<b id="one"/>\r<c id="two"/></a>');

    expect(locator.positionOfId('one')).toEqual({ line: 2, column: 1 });
    expect(locator.positionOfId('two')).toEqual({ line: 3, column: 1 });
  });

  it('finds the n-th child without id of an element by its name, not counting deeper ones', () => {
    const xml = [
      '<p id="p">',
      '  <sub id="s">',
      '    <task/>',
      '  </sub>',
      '  <task/>',
      '  <x:task />',
      '</p>',
    ].join('\n');
    const locator = new LineLocator(xml);

    expect(locator.positionOfIdless('p', 'task', 0)).toEqual({ line: 5, column: 3 });
    expect(locator.positionOfIdless('p', 'task', 1)).toEqual({ line: 6, column: 3 });
    expect(locator.positionOfIdless('s', 'task', 0)).toEqual({ line: 3, column: 5 });
    expect(locator.positionOfIdless('p', 'task', 2)).toBeNull();
  });

  it('tells the id of the tag at a position, or of the nearest enclosing tag that has one', () => {
    const locator = new LineLocator('<p id="p">\n  <task id="t"><note/></task>\n</p>');

    expect(locator.idAt({ line: 2, column: 3 })).toBe('t');
    expect(locator.idAt({ line: 2, column: 16 })).toBeNull();
    expect(locator.enclosingIdAt({ line: 2, column: 16 })).toBe('t');
    expect(locator.enclosingIdAt({ line: 9, column: 1 })).toBeNull();
  });
});
