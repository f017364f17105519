import { z } from 'zod';
import { cancelInstance } from '@libs/engine';
import type { InstanceOperation } from '@libs/runtime';
import type { BatchTypeHandler } from './batch-types';

const configurationSchema = z.object({ deleteReason: z.string().nullable() });

export type DeletionConfiguration = z.infer<typeof configurationSchema>;

/** `instance-deletion`: deletes each selected instance (`POST /process-instance/delete`). */
export const deletionHandler: BatchTypeHandler = {
  async prepare(configuration: string): Promise<InstanceOperation> {
    const { deleteReason } = configurationSchema.parse(JSON.parse(configuration));
    return (model, state, ctx) => cancelInstance(model, state, { deleteReason }, ctx);
  },
};
