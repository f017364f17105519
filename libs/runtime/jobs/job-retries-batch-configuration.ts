import { z } from 'zod';

const configurationSchema = z.object({
  retries: z.number().int().min(0),
  /** ISO date; `null`: due now; absent: the due dates stay. */
  dueDate: z.string().nullable().optional(),
});

/** What a `set-job-retries` batch does to each of its jobs. */
export interface JobRetriesPlan {
  readonly retries: number;
  /** The jobs' new due date; `null`: due now; `undefined`: their due dates stay. */
  readonly dueDate?: Date | null;
}

/** The one mapping between a `set-job-retries` batch's plan and its stored configuration, both ways. */
export const jobRetriesBatchConfiguration = {
  store(plan: JobRetriesPlan): z.infer<typeof configurationSchema> {
    return {
      retries: plan.retries,
      ...(plan.dueDate !== undefined ? { dueDate: plan.dueDate?.toISOString() ?? null } : {}),
    };
  },

  /** @throws ZodError (or SyntaxError) for a configuration this mapping did not store. */
  read(configuration: string): JobRetriesPlan {
    const { retries, dueDate } = configurationSchema.parse(JSON.parse(configuration));
    return {
      retries,
      ...(dueDate !== undefined ? { dueDate: dueDate === null ? null : new Date(dueDate) } : {}),
    };
  },
};
