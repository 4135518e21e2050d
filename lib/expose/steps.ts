import 'server-only';
import { randomBytes } from 'node:crypto';
import { ConcurrencyLimit } from '@/lib/concurrency';
import { mdnsName } from '@/lib/domain/network/lan-names';
import { lanUrl } from '@/lib/domain/network/lan-url';
import { describeStep, openStep, type ExposePlan, type ExposeStep } from '@/lib/domain/expose/plan';
import { hostClient } from '@/lib/host-api/client';
import { lanAddress } from '@/lib/host/hostinfo';
import type { JournalEntry } from '@/lib/host/tables/journal';
import { patchService } from '@/lib/kube/mutations';
import { processSingleton } from '@/lib/process-wide';
import { fail, type Outcome } from '@/lib/result';
import { ExposeRecord } from '@/lib/schemas/expose';

export type { ExposeRecord };
import { signInVia, siteCertificate } from '@/lib/tls/site';
import type { ExposeResult } from '@/lib/wire';
import { boundary } from './pause';
import { answers, answersHttps } from '@/lib/host/probe';

/** The journal's Expose entries whose record passes its schema; the others are reported, never acted on. */
async function journalExposes(
  host: ReturnType<typeof hostClient>,
): Promise<Outcome<{ id: string; state: JournalEntry['state']; record: ExposeRecord }[]>> {
  const res = await host.journalList('expose');
  if (!res.ok) return res;
  return {
    ok: true,
    data: res.data.flatMap((e) => {
      const parsed = ExposeRecord.safeParse(e.steps);
      if (parsed.success) return [{ id: e.id, state: e.state, record: parsed.data }];
      console.error(
        `labgate: journal entry ${e.id} is not a valid Expose record and is left alone: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`,
      );
      return [];
    }),
  };
}

/** The forward an Expose opens names the Expose, so a crash between creating it and recording its id leaves none unfound. */
const forwardDescription = (id: string) => `exposed ${id}`;
const NO_LAN_ADDRESS =
  "labgate does not know this host's LAN address, where the exposure would be reached: set LABGATE_LAN_ADDRESS (or LABGATE_LAN_INTERFACE) in /etc/labgate/labgate.env.";

async function existing(plan: ExposePlan): Promise<(ExposeRecord & { id: string }) | null> {
  const res = await journalExposes(hostClient());
  if (!res.ok) return null;
  const key = JSON.stringify(openStep(plan)?.target);
  const found = res.data.find((e) => e.state === 'done' && JSON.stringify(openStep(e.record.plan)?.target) === key);
  return found ? { id: found.id, ...found.record } : null;
}

/**
 * Runs the plan's steps in order, then checks the URL answers. A failure undoes what was done
 * and says which step failed and why. Pressing it again on an exposed target shows the URL.
 */
export function applyExpose(plan: ExposePlan, actor: string, source?: 'annotation'): Promise<Outcome<ExposeResult>> {
  return oneAtATime().run(() => applyNow(plan, actor, source));
}

/**
 * Exposes and Undos one at a time in this process: two applies of the same target at once would
 * both patch the Service, and the loser's rollback would take it back from under the winner.
 * The second finds the first's exposure done and shows its URL.
 */
const oneAtATime = processSingleton('exposeQueue', () => new ConcurrencyLimit(1));

async function applyNow(plan: ExposePlan, actor: string, source?: 'annotation'): Promise<Outcome<ExposeResult>> {
  const already = await existing(plan);
  if (already)
    return {
      ok: true,
      data: {
        id: already.id,
        url: already.url,
        steps: plan.steps.map((s) => ({ text: describeStep(s), state: 'skipped' })),
        alreadyExposed: true,
      },
    };
  const address = lanAddress();
  if (!address) return fail(409, NO_LAN_ADDRESS);
  const host = hostClient(actor);
  const id = randomBytes(8).toString('hex');
  const url = lanUrl({ protocol: 'tcp', listenPort: plan.listenPort }, address)!;
  const record: ExposeRecord = { plan, done: [], forwardId: null, url, ...(source ? { source } : {}) };
  const save = (state: 'running' | 'done' | 'undone' | 'failed') => host.journalPut({ id, operation: 'expose', state, steps: record });
  const started = await save('running');
  if (!started.ok) return fail(started.status, `Expose did not start: ${started.error}`);
  await boundary('expose:journal-written');
  const steps: ExposeResult['steps'] = [];
  let failure: string | null = null;
  for (const step of plan.steps) {
    const res =
      step.kind === 'service-nodeport'
        ? step.previous.type === 'ClusterIP' || step.previous.nodePort !== step.nodePort
          ? await patchService(step.namespace, step.name, { type: 'NodePort', nodePorts: { [step.port]: step.nodePort } })
          : ({ ok: true, data: null } as const)
        : await host.createForward({
            name: plan.title
              .replace(/^Expose | on the LAN$/g, '')
              .replace(/[^A-Za-z0-9 ._:/,()-]/g, '-')
              .slice(0, 48),
            listenPort: step.listenPort,
            target: step.target,
            description: forwardDescription(id),
            ...(step.lanName ? { lanName: step.lanName } : {}),
            ...(step.allowFrom ? { allowFrom: step.allowFrom } : {}),
            // The CA's key stays with this role: the host role gets only the name's certificate.
            ...(step.lanName && step.https ? { tls: await siteCertificate(step.lanName) } : {}),
            ...(step.lanName && step.https && step.signIn ? { signIn: await signInVia() } : {}),
          });
    await boundary(step.kind === 'service-nodeport' ? 'expose:service-patched' : 'expose:forward-created');
    if (!res.ok) {
      failure = `${describeStep(step)}: ${res.error}`;
      steps.push({ text: describeStep(step), state: 'failed' });
      break;
    }
    if (step.kind === 'open-forward') {
      const forward = res.data as { id: string; url: string | null };
      record.forwardId = forward.id;
      record.url = forward.url ?? url; // its name on the LAN, when it has one
    }
    record.done.push(step.kind);
    steps.push({ text: describeStep(step), state: 'done' });
    const saved = await save('running');
    if (!saved.ok) {
      failure = `${describeStep(step)} could not be recorded: ${saved.error}`;
      break;
    }
  }
  const opened = openStep(plan);
  if (!failure && !(await answers(address, plan.listenPort))) failure = `${url} did not answer within 10 s`;
  if (!failure && opened?.https && opened.lanName && !(await answersHttps(address, mdnsName(opened.lanName))))
    failure = `${record.url} did not answer within 10 s`;
  if (!failure) await boundary('expose:url-verified');
  if (failure) {
    await undoSteps(id, record, actor);
    await save('failed');
    await host.record({ action: 'expose', subject: plan.title, detail: failure, result: failure });
    return { ok: false, status: 502, error: `Expose failed and was undone. ${failure.replace(/\.$/, '')}.` };
  }
  const done = await save('done');
  await boundary('expose:journal-done');
  const recorded = done.ok ? await host.record({ action: 'expose', subject: plan.title, detail: record.url, result: 'ok' }) : done;
  if (!recorded.ok) {
    // Not recorded, not in effect: what it did is taken back, as after any failed step.
    await undoSteps(id, record, actor);
    await save('failed');
    return fail(recorded.status, `Expose was undone: it could not be recorded. ${recorded.error}`);
  }
  return { ok: true, data: { id, url: record.url, steps } };
}

/**
 * Takes back what an Expose did. `afterCrash`: the process may have died between a step and its
 * record, so every step of the plan is taken back, the forward found by the Expose it names.
 */
async function undoSteps(id: string, record: ExposeRecord, actor: string, afterCrash = false): Promise<string | null> {
  const host = hostClient(actor);
  const errors: string[] = [];
  const forwardIds = new Set(record.forwardId ? [record.forwardId] : []);
  if (afterCrash) {
    const listed = await host.listForwards();
    if (!listed.ok) return listed.error;
    for (const f of listed.data) if (f.description === forwardDescription(id)) forwardIds.add(f.id);
  }
  for (const forwardId of forwardIds) {
    const res = await host.deleteForward(forwardId);
    if (!res.ok && res.status !== 404) errors.push(res.error);
  }
  if (afterCrash || forwardIds.size) await boundary('undo:forward-removed');
  const svcStep = record.plan.steps.find((s): s is Extract<ExposeStep, { kind: 'service-nodeport' }> => s.kind === 'service-nodeport');
  if (
    svcStep &&
    (afterCrash || record.done.includes('service-nodeport')) &&
    (svcStep.previous.type !== 'NodePort' || svcStep.previous.nodePort !== svcStep.nodePort)
  ) {
    const res = await patchService(svcStep.namespace, svcStep.name, {
      type: svcStep.previous.type === 'ExternalName' ? 'ClusterIP' : svcStep.previous.type,
      nodePorts: { [svcStep.port]: svcStep.previous.nodePort },
    });
    if (!res.ok && res.status !== 404) errors.push(res.error); // a Service that is gone has nothing to restore
    await boundary('undo:service-restored');
  }
  return errors.length ? errors.join(' ') : null;
}

/** Removes exactly what an Expose added: the forward goes, the Service's type and nodePort come back. */
export function undoExpose(id: string, actor: string): Promise<Outcome<{ id: string }>> {
  return oneAtATime().run(() => undoNow(id, actor));
}

async function undoNow(id: string, actor: string): Promise<Outcome<{ id: string }>> {
  const host = hostClient(actor);
  const list = await journalExposes(host);
  if (!list.ok) return list;
  const entry = list.data.find((e) => e.id === id);
  if (!entry || entry.state !== 'done') return fail(404, 'Nothing to undo: that Expose is not in effect.');
  const { record } = entry;
  // Running again while it is undone: a crash from here on is rolled back whole at the next start.
  const started = await host.journalPut({ id, operation: 'expose', state: 'running', steps: record });
  if (!started.ok) return fail(started.status, `Undo did not start: ${started.error}`);
  await boundary('undo:journal-written');
  const error = await undoSteps(id, record, actor);
  if (error) {
    await host.journalPut({ id, operation: 'expose', state: 'done', steps: record }); // still in effect: undo can be tried again
    return fail(502, `Undo did not finish: ${error}`);
  }
  const undone = await host.journalPut({ id, operation: 'expose', state: 'undone', steps: record });
  await boundary('undo:journal-done');
  const recorded = undone.ok
    ? await host.record({ action: 'expose.undo', subject: record.plan.title, detail: record.url, result: 'ok' })
    : undone;
  // Taken back (the forward's removal is audited with it), but not recorded as undone: a journal still
  // saying running is finished at the next start.
  if (!recorded.ok) return fail(recorded.status, `Undo took the exposure back, but could not record it: ${recorded.error}`);
  return { ok: true, data: { id } };
}

/** Exposes in effect, newest first. */
export async function exposures(): Promise<(ExposeRecord & { id: string })[]> {
  const res = await journalExposes(hostClient());
  return res.ok ? res.data.filter((e) => e.state === 'done').map((e) => ({ id: e.id, ...e.record })) : [];
}

/**
 * After a crash: an Expose the journal still marks as running is rolled back exactly, step by
 * recorded step, so no half-done Expose outlives a restart.
 */
export async function recoverExposes(actor = 'recovery'): Promise<number> {
  const host = hostClient(actor);
  const list = await journalExposes(host);
  if (!list.ok) return 0;
  let recovered = 0;
  for (const { id, record } of list.data.filter((e) => e.state === 'running')) {
    const error = await undoSteps(id, record, actor, true);
    await host.journalPut({ id, operation: 'expose', state: error ? 'failed' : 'undone', steps: record });
    await host.record({
      action: 'expose.recover',
      subject: record.plan.title,
      detail: 'rolled back after a restart',
      result: error ?? 'ok',
    });
    recovered++;
  }
  return recovered;
}
