import 'server-only';
import { randomBytes, X509Certificate } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { Forward, ForwardStatus } from '@/lib/domain/forwards/forward';
import { AllowFrom, ForwardTarget, type CreateForward } from '@/lib/schemas/forwards';
import { SignIn, type SiteTls } from '@/lib/schemas/names';

interface Row {
  id: string;
  name: string;
  protocol: 'tcp' | 'udp';
  listen_port: number;
  listen_address: string | null;
  target: string;
  description: string;
  lan_name: string | null;
  tls_cert: string | null;
  tls_key: string | null;
  allow_from: string | null;
  sign_in: string | null;
  created_by: string;
  created_at: string;
}

const tlsOf = (r: Row): SiteTls | null => (r.tls_cert && r.tls_key ? { certificate: r.tls_cert, key: r.tls_key } : null);
const signInOf = (r: Row): SignIn | null => (r.sign_in === null ? null : SignIn.parse(JSON.parse(r.sign_in)));
/** No name, no certificate: HTTPS is only ever for a name, and sign-in only for HTTPS. */
const named = (lanName: string | undefined, tls: SiteTls | undefined, signIn: SignIn | undefined) => ({
  lanName: lanName ?? null,
  tls: lanName ? (tls ?? null) : null,
  signIn: lanName && tls ? (signIn ?? null) : null,
});

const toForward = (r: Row): Forward => ({
  id: r.id,
  name: r.name,
  protocol: r.protocol,
  listenPort: r.listen_port,
  listenAddress: r.listen_address,
  target: ForwardTarget.parse(JSON.parse(r.target)),
  description: r.description,
  lanName: r.lan_name,
  https: r.tls_cert !== null,
  httpsUntil: r.tls_cert ? new Date(new X509Certificate(r.tls_cert).validTo).toISOString() : null,
  allowFrom: r.allow_from === null ? null : AllowFrom.parse(JSON.parse(r.allow_from)),
  requiresSignIn: r.sign_in !== null,
  createdBy: r.created_by,
  createdAt: r.created_at,
});

export const newForwardId = () => randomBytes(6).toString('hex');

/** A forward with its HTTPS certificate and key, and how it signs people in: only the store and Caddy's config see them. */
export type StoredForward = Forward & { tls: SiteTls | null; signIn: SignIn | null };

/** The desired forwards, as stored. */
export class ForwardStore {
  private readonly db: Database;
  constructor(db: Database) {
    this.db = db;
  }

  list(): Forward[] {
    return (this.db.prepare('SELECT * FROM forwards ORDER BY listen_port, id').all() as Row[]).map(toForward);
  }

  get(id: string): Forward | null {
    const row = this.db.prepare('SELECT * FROM forwards WHERE id = ?').get(id) as Row | undefined;
    return row ? toForward(row) : null;
  }

  /** The forward with its certificate and key (for Caddy), or null. */
  stored(id: string): StoredForward | null {
    const row = this.db.prepare('SELECT * FROM forwards WHERE id = ?').get(id) as Row | undefined;
    return row ? { ...toForward(row), tls: tlsOf(row), signIn: signInOf(row) } : null;
  }

  /** Every forward served over HTTPS, with its certificate and key. */
  withTls(): (Forward & { tls: SiteTls; signIn: SignIn | null })[] {
    return (this.db.prepare('SELECT * FROM forwards WHERE tls_cert IS NOT NULL ORDER BY listen_port, id').all() as Row[]).map((r) => ({
      ...toForward(r),
      tls: tlsOf(r)!,
      signIn: signInOf(r),
    }));
  }

  insert(input: CreateForward, actor: string, id = newForwardId()): Forward {
    const now = new Date().toISOString();
    const { tls, signIn, ...rest } = input;
    this.write('INSERT', {
      id,
      ...rest,
      ...named(rest.lanName, tls, signIn),
      listenAddress: input.listenAddress ?? null,
      allowFrom: input.allowFrom ?? null,
      createdBy: actor,
      createdAt: now,
    });
    return this.get(id)!;
  }

  /** Changes a forward in place, in one statement, so its status (and the node it sticks to) stays. */
  update(id: string, input: CreateForward): void {
    const before = this.stored(id);
    const { tls, signIn, ...rest } = input;
    if (before)
      this.write('UPSERT', {
        ...before,
        ...rest,
        ...named(rest.lanName, tls, signIn),
        listenAddress: input.listenAddress ?? null,
        allowFrom: input.allowFrom ?? null,
      });
  }

  /** Puts a forward back exactly as it was (undoing a delete or an update). */
  restore(f: StoredForward): void {
    this.write('UPSERT', f);
  }

  /**
   * INSERT fails on an id that exists; UPSERT updates it in place — never REPLACE, which would
   * delete the row and take its status with it (ON DELETE CASCADE).
   */
  private write(how: 'INSERT' | 'UPSERT', f: Omit<StoredForward, 'https' | 'httpsUntil' | 'requiresSignIn'>): void {
    this.db
      .prepare(
        `INSERT INTO forwards (id, name, protocol, listen_port, listen_address, target, description, lan_name, tls_cert, tls_key, allow_from, sign_in, created_by, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)${
           how === 'UPSERT'
             ? ` ON CONFLICT (id) DO UPDATE SET name = excluded.name, protocol = excluded.protocol, listen_port = excluded.listen_port,
                 listen_address = excluded.listen_address, target = excluded.target, description = excluded.description,
                 lan_name = excluded.lan_name, tls_cert = excluded.tls_cert, tls_key = excluded.tls_key, allow_from = excluded.allow_from, sign_in = excluded.sign_in,
                 updated_at = excluded.updated_at`
             : ''
         }`,
      )
      .run(
        f.id,
        f.name,
        f.protocol,
        f.listenPort,
        f.listenAddress,
        JSON.stringify(f.target),
        f.description,
        f.lanName,
        f.tls?.certificate ?? null,
        f.tls?.key ?? null,
        f.allowFrom === null ? null : JSON.stringify(f.allowFrom),
        f.signIn === null ? null : JSON.stringify(f.signIn),
        f.createdBy,
        f.createdAt,
        new Date().toISOString(),
      );
  }

  remove(id: string): boolean {
    return this.db.prepare('DELETE FROM forwards WHERE id = ?').run(id).changes > 0;
  }

  statuses(): Map<string, ForwardStatus> {
    const rows = this.db.prepare('SELECT * FROM forward_status').all() as {
      id: string;
      state: ForwardStatus['state'];
      target_ip: string | null;
      target_port: number | null;
      node: string | null;
      reason: string | null;
      updated_at: string;
    }[];
    return new Map(
      rows.map((r) => [
        r.id,
        { state: r.state, targetIP: r.target_ip, targetPort: r.target_port, node: r.node, reason: r.reason, updatedAt: r.updated_at },
      ]),
    );
  }

  setStatus(id: string, s: Omit<ForwardStatus, 'updatedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO forward_status (id, state, target_ip, target_port, node, reason, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET state = excluded.state, target_ip = excluded.target_ip, target_port = excluded.target_port,
           node = excluded.node, reason = excluded.reason, updated_at = excluded.updated_at`,
      )
      .run(id, s.state, s.targetIP, s.targetPort, s.node, s.reason, new Date().toISOString());
  }
}
