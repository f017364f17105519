import { NotFoundException, processInstanceNotFound } from './errors';

describe('NotFoundException', () => {
  it('names the process instance it is about, with Camunda’s message', () => {
    const error = processInstanceNotFound('pi-1');
    expect(error).toBeInstanceOf(NotFoundException);
    expect(error).toMatchObject({
      entity: 'processInstance',
      id: 'pi-1',
      type: 'NotFoundException',
      code: 0,
    });
    expect(error.message).toBe('Process instance with id pi-1 does not exist');
  });

  it('is about no entity when none is given', () => {
    expect(new NotFoundException('gone')).toMatchObject({ entity: undefined, id: undefined });
  });
});
