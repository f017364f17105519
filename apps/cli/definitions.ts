/** Process definitions as the CLI names them: `key`, `key:version` or a definition id. */
import type { ApiClient } from './client';
import { ApiError } from './client';

export interface DefinitionDto {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly name: string | null;
  readonly versionTag: string | null;
}

/**
 * The definition `reference` names: `key:version` (that version), `key` (its latest version) or an
 * id (`key:version:uuid`, as the service makes them).
 */
export async function resolveDefinition(client: ApiClient, reference: string): Promise<DefinitionDto> {
  const byVersion = /^([^:]+):(\d+)$/.exec(reference);
  const query = byVersion
    ? { key: byVersion[1], version: byVersion[2] }
    : reference.includes(':')
      ? { processDefinitionId: reference }
      : { key: reference, latestVersion: true };
  const [definition] = await client.get<DefinitionDto[]>('/process-definition', query);
  if (definition === undefined) {
    throw new ApiError(404, 'NotFound', `No process definition '${reference}'`);
  }
  return definition;
}

export const describeDefinition = (definition: DefinitionDto): string =>
  `${definition.key}:${definition.version}`;
