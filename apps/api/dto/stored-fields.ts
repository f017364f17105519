import { z } from 'zod';
import { boundedBytes, boundedList, boundedText, MAX_DURATION_MS } from '@libs/http';
import { COLUMN_LIMITS } from '@libs/persistence';

/**
 * Request fields whose values the service stores, bounded by the columns they are stored in (one
 * place: `COLUMN_LIMITS`), so a value that does not fit is a 400 naming the field.
 */

/** An id that is stored as given: an explicit item of a batch (instance or job id). */
export const storedId = boundedText(COLUMN_LIMITS.id);

/** A key or name that is stored as given: business key, variable name, user or worker id. */
export const storedName = boundedText(COLUMN_LIMITS.name);

/** Free text that is stored as given: annotation, delete reason, error message. */
export const storedText = boundedBytes(COLUMN_LIMITS.textBytes);

/** A count that is stored (retries); the sign is each endpoint's to check, with Camunda's message. */
export const storedCount = z.number().int().max(COLUMN_LIMITS.int);

/** A duration in milliseconds that is added to now and stored (a lock, a retry timeout). */
export const storedDuration = z.number().int().max(MAX_DURATION_MS);

/** The values of a list filter of a query (ids, keys, tenant ids). */
export const filterList = boundedList(z.string());
