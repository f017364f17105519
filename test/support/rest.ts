import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Express } from 'express';
import { PROJECT_ROOT } from './project-root';
import request from 'supertest';

/** The text of a BPMN file in test/fixtures. */
export function fixture(name: string): string {
  return readFileSync(path.join(PROJECT_ROOT, 'test', 'fixtures', name), 'utf8');
}

/** Same process, another key: handy to deploy many independent definitions from one fixture. */
export function withKey(xml: string, from: string, to: string): string {
  return xml.replaceAll(`id="${from}"`, `id="${to}"`);
}

export interface Upload {
  readonly name: string;
  readonly content: string;
  readonly contentType?: string;
}

/** `POST /engine-rest/deployment/create` as a multipart form, the way Camunda clients send it. */
export function deploy(app: Express, files: readonly Upload[], fields: Record<string, string> = {}) {
  let call = request(app).post('/engine-rest/deployment/create');
  for (const [name, value] of Object.entries(fields)) call = call.field(name, value);
  for (const file of files) {
    call = call.attach(file.name, Buffer.from(file.content, 'utf8'), {
      filename: file.name,
      contentType: file.contentType ?? 'application/octet-stream',
    });
  }
  return call;
}
