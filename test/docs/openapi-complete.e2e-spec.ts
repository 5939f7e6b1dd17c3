import { ModulesContainer } from '@nestjs/core';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PUBLIC_KEY, ROLES_KEY } from '../../src/auth/auth.decorators';
import { ROLES } from '../../src/auth/roles';
import { Harness } from '../support/harness';

/**
 * The OpenAPI document an integrator generates a client from (/docs-json, docs/openapi.json) says,
 * for every operation, what a success answers and which errors it can answer, all in the one error
 * shape. Each rule below names every operation (METHOD path) that breaks it.
 */

const ERROR_SCHEMA = '#/components/schemas/ApiErrorResponse';

/** The operations integrators start from: their success answers carry examples. */
const MAIN_OPERATIONS = [
  'POST /api/v1/bookings',
  'GET /api/v1/slots/search',
  'POST /api/v1/requests',
  'GET /api/v1/requests/{id}',
  'GET /api/v1/indicators',
  'POST /api/v1/slots/{id}/hold',
  'POST /api/v1/auth/login',
];

/** Error answers integrators must handle on the main operations: they carry examples too. */
const MAIN_ERRORS: Array<[string, string]> = [
  ['POST /api/v1/bookings', '409'],
  ['POST /api/v1/bookings', '422'],
  ['POST /api/v1/slots/{id}/hold', '429'],
  ['POST /api/v1/auth/login', '429'],
];

interface Operation {
  name: string;
  operationId: string;
  op: any;
}

/** How each handler is guarded, by the operationId @nestjs/swagger gives it (`Controller_method`). */
interface Guarding {
  public: boolean;
  roles: string[] | undefined;
}

function guardingByOperationId(app: NestFastifyApplication): Map<string, Guarding> {
  const byId = new Map<string, Guarding>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as ({ name: string; prototype: Record<string, unknown> } & object) | null;
      if (!controller) continue;
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = controller.prototype[name];
        if (typeof handler !== 'function' || name === 'constructor') continue;
        // As the guard reads them: the handler's own, else its controller's.
        const read = (key: string) => Reflect.getMetadata(key, handler) ?? Reflect.getMetadata(key, controller);
        byId.set(`${controller.name}_${name}`, { public: read(PUBLIC_KEY) === true, roles: read(ROLES_KEY) });
      }
    }
  }
  return byId;
}

const isSuccess = (status: string) => /^[23]\d\d$/.test(status);
const isError = (status: string) => /^[45]\d\d$/.test(status);
const hasSchema = (media: any) => !!media?.schema && ['$ref', 'type', 'oneOf', 'anyOf', 'allOf'].some((k) => k in media.schema);
const hasExample = (media: any) => media?.example !== undefined || (media?.examples && Object.keys(media.examples).length > 0);

describe('the OpenAPI document describes every answer', () => {
  let h: Harness;
  let doc: any;
  let operations: Operation[];
  let guarding: Map<string, Guarding>;

  beforeAll(async () => {
    h = await Harness.start();
    doc = (await h.http.get('/docs-json').expect(200)).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'].includes(method))
        .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, operationId: op.operationId, op })),
    );
    guarding = guardingByOperationId(h.app);
  });
  afterAll(() => h?.close());

  it('lists the API’s operations', () => {
    expect(operations.length).toBeGreaterThan(40);
    // Every operation is one of the application's handlers (else the rules below could not read how it is guarded).
    expect(operations.filter((o) => !guarding.has(o.operationId)).map((o) => o.name)).toEqual([]);
  });

  it('gives every operation a success answer with a schema (or no body: 204, a redirect; or text: CSV, calendar, Prometheus)', () => {
    const missing = operations.filter(({ op }) => {
      const successes = Object.entries(op.responses ?? {}).filter(([status]) => isSuccess(status));
      if (!successes.length) return true;
      return successes.some(([status, response]: [string, any]) => {
        if (status === '204' || status.startsWith('3')) return !!response.content;
        const content = Object.entries(response.content ?? {});
        if (!content.length) return true;
        return content.some(([type, media]) => (/json/.test(type) ? !hasSchema(media) : !/^text\//.test(type)));
      });
    });
    expect(missing.map((o) => o.name)).toEqual([]);
  });

  it('documents 401 on every operation that needs credentials, and says which credentials', () => {
    const needCredentials = operations.filter((o) => !guarding.get(o.operationId)?.public);
    expect(needCredentials.filter(({ op }) => !op.responses?.['401']).map((o) => o.name)).toEqual([]);
    expect(needCredentials.filter(({ op }) => !op.security?.length).map((o) => o.name)).toEqual([]);
  });

  it('documents 403 where a role is refused, naming the roles the operation is open to', () => {
    const wrong = operations.flatMap(({ name, operationId, op }) => {
      const roles = guarding.get(operationId)?.roles;
      if (!roles || ROLES.every((r) => roles.includes(r))) return [];
      const description: string | undefined = op.responses?.['403']?.description;
      if (!description) return [`${name}: no 403`];
      const unnamed = roles.filter((r) => !new RegExp(`\\b${r}\\b`).test(description));
      return unnamed.length ? [`${name}: 403 does not name ${unnamed.join(', ')}`] : [];
    });
    expect(wrong).toEqual([]);
  });

  it('documents 400 on every operation that takes a body (a body can always be refused)', () => {
    expect(operations.filter(({ op }) => op.requestBody && !op.responses?.['400']).map((o) => o.name)).toEqual([]);
  });

  it('describes every error answer with the one error schema {statusCode, error, message, details?, alternatives?}', () => {
    const wrong = operations.flatMap(({ name, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status]) => isError(status))
        .filter(([, response]: [string, any]) => {
          const content = Object.entries(response.content ?? {});
          return content.length !== 1 || content[0][0] !== 'application/json' || (content[0][1] as any).schema?.$ref !== ERROR_SCHEMA;
        })
        .map(([status]) => `${name} ${status}`),
    );
    expect(wrong).toEqual([]);
    const schema = doc.components.schemas.ApiErrorResponse;
    expect(schema.required).toEqual(['statusCode', 'error', 'message']);
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['statusCode', 'error', 'message', 'details', 'alternatives']));
  });

  it('gives examples on the main operations', () => {
    const withoutExamples = MAIN_OPERATIONS.filter((name) => {
      const found = operations.find((o) => o.name === name);
      if (!found) return true;
      const successes = Object.entries(found.op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      return !successes.length || successes.some(([, response]: [string, any]) => !hasExample(response.content?.['application/json']));
    });
    expect(withoutExamples).toEqual([]);
    const errorsWithoutExamples = MAIN_ERRORS.filter(([name, status]) => !hasExample(operations.find((o) => o.name === name)?.op.responses?.[status]?.content?.['application/json']));
    expect(errorsWithoutExamples.map(([name, status]) => `${name} ${status}`)).toEqual([]);
  });

  it('refers only to schemas it defines', () => {
    const refs = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, child] of Object.entries(v)) {
          if (k === '$ref' && typeof child === 'string') refs.add(child);
          else if (k !== 'example' && k !== 'examples') walk(child);
        }
      }
    };
    walk(doc);
    const defined = new Set(Object.keys(doc.components?.schemas ?? {}).map((n) => `#/components/schemas/${n}`));
    expect([...refs].filter((r) => !defined.has(r))).toEqual([]);
  });
});
