import request from 'supertest';
import { deploy, fixture, withKey } from '../support/rest';
import { startTestStack, type TestStack } from '../support/test-stack';

describe('deployments', () => {
  let stack: TestStack;
  const countDeployments = async () =>
    (await request(stack.app).get('/engine-rest/deployment/count').expect(200)).body.count as number;

  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  it('deploys a BPMN file as version 1 of its process key', async () => {
    const response = await deploy(stack.app, [{ name: 'order.bpmn', content: fixture('order.bpmn') }], {
      'deployment-name': 'orders',
      'deployment-source': 'ci',
    }).expect(200);

    const { id, deployedProcessDefinitions } = response.body;
    expect(response.body).toMatchObject({
      name: 'orders',
      source: 'ci',
      tenantId: null,
      deploymentTime: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/),
      links: [
        {
          method: 'GET',
          rel: 'self',
          href: expect.stringMatching(new RegExp(`/engine-rest/deployment/${id}$`)),
        },
      ],
      deployedCaseDefinitions: null,
      deployedDecisionDefinitions: null,
    });
    const [definition] = Object.values(deployedProcessDefinitions) as Array<Record<string, unknown>>;
    expect(Object.keys(deployedProcessDefinitions)).toEqual([definition!.id]);
    expect(definition).toEqual({
      id: expect.stringMatching(/^order:1:[0-9a-f-]{36}$/),
      key: 'order',
      category: 'http://example.com/order',
      description: null,
      name: 'Order',
      version: 1,
      resource: 'order.bpmn',
      deploymentId: id,
      diagram: null,
      suspended: false,
      tenantId: null,
      versionTag: 'v1',
      historyTimeToLive: 30,
      startableInTasklist: true,
    });
  });

  it('gives each redeployment of a key the next version, and serves the latest by key', async () => {
    const xml = withKey(fixture('order.bpmn'), 'order', 'versioned');
    for (let i = 0; i < 3; i += 1) await deploy(stack.app, [{ name: 'v.bpmn', content: xml }]).expect(200);

    const latest = await request(stack.app).get('/engine-rest/process-definition/key/versioned').expect(200);
    expect(latest.body.version).toBe(3);
    const all = await request(stack.app)
      .get('/engine-rest/process-definition?key=versioned&sortBy=version&sortOrder=desc')
      .expect(200);
    expect(all.body.map((d: { version: number }) => d.version)).toEqual([3, 2, 1]);
    const onlyLatest = await request(stack.app)
      .get('/engine-rest/process-definition?key=versioned&latestVersion=true')
      .expect(200);
    expect(onlyLatest.body).toHaveLength(1);
    expect(
      (await request(stack.app).get('/engine-rest/process-definition/count?key=versioned')).body,
    ).toEqual({ count: 3 });
  });

  it('never hands out one version twice to concurrent deployments of the same key', async () => {
    const xml = withKey(fixture('order.bpmn'), 'order', 'raced');
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => deploy(stack.app, [{ name: 'r.bpmn', content: xml }])),
    );
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const versions = responses.map(
      (r) => (Object.values(r.body.deployedProcessDefinitions)[0] as { version: number }).version,
    );
    expect(versions.sort()).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('serves a definition and its XML by id and by key', async () => {
    const latest = (await request(stack.app).get('/engine-rest/process-definition/key/order').expect(200))
      .body;
    await request(stack.app).get(`/engine-rest/process-definition/${latest.id}`).expect(200, latest);
    const xml = await request(stack.app)
      .get(`/engine-rest/engine/default/process-definition/${latest.id}/xml`)
      .expect(200);
    expect(xml.body).toEqual({ id: latest.id, bpmn20Xml: fixture('order.bpmn') });
    const byKey = await request(stack.app).get('/engine-rest/process-definition/key/order/xml').expect(200);
    expect(byKey.body.id).toBe(latest.id);
  });

  it('answers unknown definitions with 404', async () => {
    const byKey = await request(stack.app).get('/engine-rest/process-definition/key/nope').expect(404);
    expect(byKey.body).toEqual({
      type: 'RestException',
      message: 'No matching process definition with key: nope and no tenant-id',
      code: null,
    });
    const byId = await request(stack.app).get('/engine-rest/process-definition/nope:1:x').expect(404);
    expect(byId.body.type).toBe('InvalidRequestException');
  });

  it('rejects malformed XML with a ParseException that locates the problem, and stores nothing', async () => {
    const before = await countDeployments();
    const broken = fixture('order.bpmn').replace('<bpmn:endEvent id="end" />', '<bpmn:endEvent id="end">');
    const response = await deploy(stack.app, [{ name: 'broken.bpmn', content: broken }]).expect(400);
    expect(response.body).toMatchObject({
      type: 'ParseException',
      code: 0,
      message: expect.stringContaining('ENGINE-09005'),
    });
    const [error] = response.body.details['broken.bpmn'].errors;
    expect(error.line).toBeGreaterThan(1);
    expect(await countDeployments()).toBe(before);
  });

  it('rejects an unsupported element naming its id and line, even beside a valid resource', async () => {
    const before = await countDeployments();
    const response = await deploy(stack.app, [
      { name: 'fine.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'fine') },
      { name: 'unsupported.bpmn', content: fixture('unsupported.bpmn') },
    ]).expect(400);
    const errors = response.body.details['unsupported.bpmn'].errors;
    expect(errors).toContainEqual(expect.objectContaining({ mainBpmnElementId: 'callOther', line: 6 }));
    expect(response.body.message).toContain('callOther');
    expect(response.body.details['fine.bpmn'].errors).toEqual([]);
    expect(await countDeployments()).toBe(before);
    await request(stack.app).get('/engine-rest/process-definition/key/fine').expect(404);
  });

  it('answers the warnings of each BPMN resource, such as extensions it accepts but does not act on', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
  <process id="warned" isExecutable="true">
    <startEvent id="start" />
    <serviceTask id="charge" camunda:class="com.acme.Charge" />
    <endEvent id="end" />
    <sequenceFlow id="f1" sourceRef="start" targetRef="charge" />
    <sequenceFlow id="f2" sourceRef="charge" targetRef="end" />
  </process>
</definitions>`;
    const response = await deploy(stack.app, [
      { name: 'warned.bpmn', content: xml },
      { name: 'notes.txt', content: 'not a process' },
    ]).expect(200);
    expect(Object.keys(response.body.deployedProcessDefinitions)).toHaveLength(1);
    expect(response.body.details).toEqual({
      'warned.bpmn': {
        errors: [],
        warnings: [
          {
            message: expect.stringMatching(
              /^camunda:class on <serviceTask> 'charge' is ignored: Java delegates/,
            ),
            line: 5,
            column: 5,
            mainBpmnElementId: 'charge',
            bpmnElementIds: ['charge'],
          },
        ],
      },
    });
  });

  it('reports camunda:isStartableInTasklist and filters by it', async () => {
    const xml = (key: string, startable: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" targetNamespace="t">
  <process id="${key}" isExecutable="true"${startable}>
    <startEvent id="start" />
  </process>
</definitions>`;
    await deploy(stack.app, [
      { name: 'hidden.bpmn', content: xml('hiddenStart', ' camunda:isStartableInTasklist="false"') },
      { name: 'shown.bpmn', content: xml('shownStart', '') },
    ]).expect(200);
    const definitions = async (query: string) =>
      (
        await request(stack.app)
          .get(`/engine-rest/process-definition?keyIn=hiddenStart,shownStart${query}`)
          .expect(200)
      ).body as Array<{ key: string; startableInTasklist: boolean }>;
    expect(
      (await definitions('&sortBy=key&sortOrder=asc')).map((d) => [d.key, d.startableInTasklist]),
    ).toEqual([
      ['hiddenStart', false],
      ['shownStart', true],
    ]);
    expect((await definitions('&startableInTasklist=true')).map((d) => d.key)).toEqual(['shownStart']);
    expect((await definitions('&notStartableInTasklist=true')).map((d) => d.key)).toEqual(['hiddenStart']);
  });

  it('refuses an upload without resources, or with a form part that is not a file', async () => {
    const none = await deploy(stack.app, [], { 'deployment-name': 'empty' }).expect(400);
    expect(none.body.message).toBe('No deployment resources contained in the form upload.');
    const stray = await deploy(stack.app, [{ name: 'order.bpmn', content: fixture('order.bpmn') }], {
      'not-a-file': 'x',
    }).expect(400);
    expect(stray.body.message).toContain('No file name found');
  });

  it('reads a resource part sent with Content-Type: false', async () => {
    const response = await deploy(stack.app, [
      { name: 'odd.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'odd'), contentType: 'false' },
    ]).expect(200);
    expect(Object.values(response.body.deployedProcessDefinitions)).toHaveLength(1);
  });

  it('skips an unchanged redeployment with duplicate filtering and deploys a changed one', async () => {
    const xml = withKey(fixture('order.bpmn'), 'order', 'filtered');
    const fields = { 'deployment-name': 'filtered', 'enable-duplicate-filtering': 'true' };
    const first = await deploy(stack.app, [{ name: 'f.bpmn', content: xml }], fields).expect(200);
    const again = await deploy(stack.app, [{ name: 'f.bpmn', content: xml }], fields).expect(200);
    expect(again.body.id).toBe(first.body.id);
    expect(again.body.deployedProcessDefinitions).toBeNull();

    const changed = await deploy(
      stack.app,
      [{ name: 'f.bpmn', content: xml.replace('Approve order', 'Approve it') }],
      fields,
    ).expect(200);
    expect(changed.body.id).not.toBe(first.body.id);
    expect((Object.values(changed.body.deployedProcessDefinitions)[0] as { version: number }).version).toBe(
      2,
    );
  });

  it('deploys only the changed resources with deploy-changed-only', async () => {
    const a = withKey(fixture('order.bpmn'), 'order', 'partA');
    const b = withKey(fixture('order.bpmn'), 'order', 'partB');
    const fields = { 'deployment-name': 'parts', 'deploy-changed-only': 'true' };
    await deploy(
      stack.app,
      [
        { name: 'a.bpmn', content: a },
        { name: 'b.bpmn', content: b },
      ],
      fields,
    ).expect(200);
    const second = await deploy(
      stack.app,
      [
        { name: 'a.bpmn', content: a },
        { name: 'b.bpmn', content: b.replace('Order', 'Order B') },
      ],
      fields,
    ).expect(200);
    const keys = Object.values(second.body.deployedProcessDefinitions).map((d) => (d as { key: string }).key);
    expect(keys).toEqual(['partB']);
  });

  it('versions keys per tenant and resolves by tenant', async () => {
    const xml = withKey(fixture('order.bpmn'), 'order', 'tenanted');
    const response = await deploy(stack.app, [{ name: 't.bpmn', content: xml }], {
      'tenant-id': 'acme',
    }).expect(200);
    expect(response.body.tenantId).toBe('acme');
    await deploy(stack.app, [{ name: 't.bpmn', content: xml }]).expect(200);

    const forAcme = await request(stack.app)
      .get('/engine-rest/process-definition/key/tenanted/tenant-id/acme')
      .expect(200);
    expect(forAcme.body).toMatchObject({ tenantId: 'acme', version: 1 });
    const withoutTenant = await request(stack.app)
      .get('/engine-rest/process-definition/key/tenanted')
      .expect(200);
    expect(withoutTenant.body).toMatchObject({ tenantId: null, version: 1 });
    const listed = await request(stack.app)
      .get('/engine-rest/process-definition?key=tenanted&tenantIdIn=acme')
      .expect(200);
    expect(listed.body.map((d: { tenantId: string }) => d.tenantId)).toEqual(['acme']);
    await request(stack.app).get('/engine-rest/process-definition/key/tenanted/tenant-id/other').expect(404);
  });

  it('lists deployments with filters, sorting and paging, and validates the parameters', async () => {
    const byName = await request(stack.app).get('/engine-rest/deployment?nameLike=filter%25').expect(200);
    expect(byName.body.every((d: { name: string }) => d.name === 'filtered')).toBe(true);
    const paged = await request(stack.app)
      .get('/engine-rest/deployment?sortBy=deploymentTime&sortOrder=asc&firstResult=1&maxResults=2')
      .expect(200);
    expect(paged.body).toHaveLength(2);

    const lonely = await request(stack.app).get('/engine-rest/deployment?sortBy=name').expect(400);
    expect(lonely.body.message).toBe(
      'Only a single sorting parameter specified. sortBy and sortOrder required',
    );
    const bad = await request(stack.app)
      .get('/engine-rest/deployment?sortBy=color&sortOrder=asc')
      .expect(400);
    expect(bad.body.message).toBe("Cannot set query parameter 'sortBy' to value 'color'");
    await request(stack.app).get('/engine-rest/deployment?maxResults=many').expect(400);
  });

  it('deletes a deployment with its definitions', async () => {
    const response = await deploy(stack.app, [
      { name: 'gone.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'gone') },
    ]).expect(200);
    await request(stack.app).get(`/engine-rest/deployment/${response.body.id}`).expect(200);
    await request(stack.app).delete(`/engine-rest/deployment/${response.body.id}`).expect(204);
    await request(stack.app).get(`/engine-rest/deployment/${response.body.id}`).expect(404);
    await request(stack.app).get('/engine-rest/process-definition/key/gone').expect(404);
    const again = await request(stack.app).delete(`/engine-rest/deployment/${response.body.id}`).expect(404);
    expect(again.body.message).toContain(response.body.id);
  });

  it('keeps a deployment whose definitions still run instances, unless cascading', async () => {
    const response = await deploy(stack.app, [
      { name: 'busy.bpmn', content: withKey(fixture('order.bpmn'), 'order', 'busy') },
    ]).expect(200);
    const started = await request(stack.app)
      .post('/engine-rest/process-definition/key/busy/start')
      .send({})
      .expect(200);

    const refused = await request(stack.app)
      .delete(`/engine-rest/deployment/${response.body.id}`)
      .expect(400);
    expect(refused.body.message).toContain('cascade=true');
    await request(stack.app).get(`/engine-rest/process-instance/${started.body.id}`).expect(200);

    await request(stack.app).delete(`/engine-rest/deployment/${response.body.id}?cascade=true`).expect(204);
    await request(stack.app).get(`/engine-rest/process-instance/${started.body.id}`).expect(404);
    await request(stack.app).get(`/engine-rest/deployment/${response.body.id}`).expect(404);
  });
});
