import { expect, HOST_AUTH, scrapeMetrics, test } from './fixtures/app';

test('/metrics answers only its own token: not none, not a wrong one, not the host token', async ({ request }) => {
  expect((await request.get('/metrics')).status()).toBe(401);
  expect((await request.get('/metrics', { headers: { authorization: 'Bearer not-the-token-at-all-000000' } })).status()).toBe(401);
  expect((await request.get('/metrics', { headers: HOST_AUTH })).status()).toBe(401);
  const ok = await request.get('/metrics', { headers: { authorization: `Bearer ${process.env.LABGATE_E2E_METRICS_TOKEN}` } });
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toContain('text/plain');
});

test('/metrics counts forwards by status, applies, reconcile time and a flush repaired', async ({ hostApi, request, lab }) => {
  const before = await scrapeMetrics(request);
  expect(before.has('labgate_process_resident_memory_bytes')).toBe(true);
  const created = await hostApi.post('/api/host/forwards', {
    data: { name: 'Whoami', listenPort: 30080, target: { kind: 'service', namespace: 'default', name: 'whoami', port: 80 } },
  });
  expect(created.status()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  try {
    const afterCreate = await scrapeMetrics(request);
    expect(afterCreate.get('labgate_forwards{status="applied"}')).toBe((before.get('labgate_forwards{status="applied"}') ?? 0) + 1);
    expect(afterCreate.get('labgate_firewall_applies_total{result="ok"}')).toBeGreaterThan(
      before.get('labgate_firewall_applies_total{result="ok"}') ?? 0,
    );
    expect(afterCreate.get('labgate_reconcile_duration_seconds_count{result="ok"}')).toBeGreaterThan(0);

    lab.control('reboot');
    await expect
      .poll(async () => (await scrapeMetrics(request)).get('labgate_firewall_repairs_total{kind="flush"}') ?? 0, { timeout: 10_000 })
      .toBeGreaterThan(before.get('labgate_firewall_repairs_total{kind="flush"}') ?? 0);
  } finally {
    expect((await hostApi.delete(`/api/host/forwards/${id}`)).status()).toBe(200);
  }
});
