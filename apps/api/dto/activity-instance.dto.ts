import { z } from 'zod';
import type { ActivityInstanceDto } from '@libs/engine';
import type { Mutable } from '../openapi/schemas';

const incidentDto = z
  .object({ id: z.string(), activityId: z.string() })
  .meta({ id: 'ActivityInstanceIncidentDto' });

/** Camunda's `TransitionInstanceDto`. */
export const transitionInstanceDtoSchema = z
  .object({
    id: z.string(),
    parentActivityInstanceId: z.string(),
    processInstanceId: z.string(),
    processDefinitionId: z.string(),
    activityId: z.string(),
    targetActivityId: z.string(),
    activityName: z.string().nullable(),
    activityType: z.string(),
    executionId: z.string(),
    incidentIds: z.array(z.string()),
    incidents: z.array(incidentDto),
  })
  .meta({ id: 'TransitionInstanceDto' });

/** Camunda's `ActivityInstanceDto`: the tree of a running process instance. */
export const activityInstanceDtoSchema: z.ZodType<Mutable<ActivityInstanceDto>> = z
  .object({
    id: z.string(),
    parentActivityInstanceId: z.string().nullable(),
    activityId: z.string(),
    activityType: z.string(),
    processInstanceId: z.string(),
    processDefinitionId: z.string(),
    activityName: z.string().nullable(),
    name: z.string().nullable(),
    executionIds: z.array(z.string()),
    incidentIds: z.array(z.string()),
    incidents: z.array(incidentDto),
    get childActivityInstances() {
      return z.array(activityInstanceDtoSchema);
    },
    childTransitionInstances: z.array(transitionInstanceDtoSchema),
  })
  .meta({ id: 'ActivityInstanceDto' });
