// One month's journal for one ERP: expense debited per (team, cost center, invoicing vendor,
// account), accrued per invoicing vendor (AWS for Claude on Bedrock, not Anthropic:
// src/reports/invoicing-vendor.ts) and per balancing dimension where the ERP needs it. Cents come
// from one allocation tree per entry — total → vendor → entity → credit line → debit line — so each
// vendor's credit is exactly the sum of its debits and the entry's total is the month's exact
// spend rounded once. Late rows of closed months form a separate adjustment entry.
import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { allocateTree } from '../cents.ts';
import { roundToCents } from '../../pricing/money.ts';
import type { BookScope } from '../books/booked-events.ts';
import { bookedEvents } from '../books/booked-events.ts';
import type { Erp } from '../gl-mapping/gl-mapping.schema.ts';
import { MappingIncompleteError } from '../gl-mapping/mapping-errors.ts';
import { renderTemplate } from '../gl-mapping/render-template.ts';
import type { Posting, ResolvePosting } from '../gl-mapping/resolve-posting.ts';
import type { ServedBy } from '../invoicing-vendor.ts';

export type EntryKind = 'regular' | 'adjustment';

export interface JournalLine {
  readonly side: 'debit' | 'credit';
  readonly account: string;
  readonly cents: bigint; // > 0
  readonly nanos: bigint;
  readonly dims: Readonly<Record<string, string>>;
  /** The vendor record on a credit line (when mapped). */
  readonly name: string | null;
  /** The invoicing vendor id (aws, microsoft, openai, …). */
  readonly vendor: string;
  /** The makers of the models the line books (provider ids, sorted). */
  readonly providers: readonly string[];
  readonly memo: string;
}

export interface JournalEntry {
  readonly kind: EntryKind;
  readonly id: string;
  readonly entity: string;
  readonly date: string; // YYYY-MM-DD: the booking month's last day
  readonly memo: string;
  readonly lines: readonly JournalLine[];
}

export interface Journal {
  readonly month: string;
  readonly erp: Erp;
  readonly entries: readonly JournalEntry[];
  readonly totalNanos: bigint;
  readonly totalCents: bigint;
}

/** Spend per booking group: what the journal books (priced and estimated rows only). */
export interface BookingGroup extends ServedBy {
  readonly late: boolean;
  readonly team: string | null;
  readonly costCenter: string | null;
  readonly model: string;
  readonly nanos: bigint;
}

export async function bookingGroups(db: Db, scope: BookScope): Promise<BookingGroup[]> {
  const { rows } = await sql<{ late: boolean; team: string | null; cost_center: string | null; provider: string; platform: string | null; upstream: string | null; model: string; nanos: bigint }>`
    select late, team, cost_center, provider, platform, upstream, model, sum(cost_nanos)::bigint as nanos
      from ${bookedEvents(scope)} as b
     where pricing_status in ('priced', 'estimated')
     group by late, team, cost_center, provider, platform, upstream, model
    having sum(cost_nanos) > 0`.execute(db);
  return rows.map((r) => ({ late: r.late, team: r.team, costCenter: r.cost_center, provider: r.provider, platform: r.platform, upstream: r.upstream, model: r.model, nanos: r.nanos }));
}

export interface JournalOptions {
  readonly month: string;
  readonly erp: Erp;
  readonly lastDay: string;
  readonly journalId: string; // rendered template
  readonly memo: string;
  readonly adjustmentMemo: string;
  readonly lineMemo: string; // templates
  readonly creditMemo: string;
  /** The invoicing vendor id of a group (invoicingVendorId with the mapping's `invoicedBy`). */
  readonly vendorOf: (group: BookingGroup) => string;
  /** A vendor id's display name ({vendor} in memos). */
  readonly vendorName: (vendor: string) => string;
  readonly teamName: (team: string | null) => string | null;
}

const json = (v: unknown) => JSON.stringify(v);
const sortedDims = (d: Readonly<Record<string, string>>) => Object.entries(d).sort(([a], [b]) => a.localeCompare(b));
const slug = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '');

interface Leaf {
  readonly kind: EntryKind;
  readonly posting: Posting;
  readonly vendor: string;
  readonly providers: Set<string>;
  readonly team: string | null;
  readonly costCenter: string | null;
  nanos: bigint;
}

const makers = (leaves: Iterable<Leaf>) => [...new Set([...leaves].flatMap((l) => [...l.providers]))].sort();

export function buildJournal(groups: readonly BookingGroup[], resolve: ResolvePosting, o: JournalOptions): Journal {
  const missing = new Set<string>();
  const leaves = new Map<string, Leaf>();
  for (const g of groups) {
    const vendor = o.vendorOf(g);
    const r = resolve({ team: g.team, costCenter: g.costCenter, vendor, provider: g.provider, model: g.model });
    if ('missing' in r) {
      r.missing.forEach((m) => missing.add(m));
      continue;
    }
    const kind: EntryKind = g.late ? 'adjustment' : 'regular';
    const p = r.posting;
    // Models of several makers invoiced by one vendor to one account share a line (Vertex AI: Gemini and Claude).
    const key = json([kind, vendor, p.entity, sortedDims(p.creditDims), p.creditAccount, g.team, g.costCenter, p.debitAccount, sortedDims(p.debitDims)]);
    const leaf = leaves.get(key);
    if (leaf) {
      leaf.nanos += g.nanos;
      leaf.providers.add(g.provider);
    } else leaves.set(key, { kind, posting: p, vendor, providers: new Set([g.provider]), team: g.team, costCenter: g.costCenter, nanos: g.nanos });
  }
  if (missing.size > 0) throw new MappingIncompleteError(o.erp, [...missing].sort());

  const entries: JournalEntry[] = [];
  let totalNanos = 0n;
  let totalCents = 0n;
  for (const kind of ['regular', 'adjustment'] as const) {
    const ofKind = [...leaves.values()].filter((l) => l.kind === kind);
    if (ofKind.length === 0) continue;
    const creditKey = (l: Leaf) => json([l.posting.creditAccount, l.posting.creditName, sortedDims(l.posting.creditDims)]);
    const debitKey = (l: Leaf) => json([l.team, l.costCenter, l.posting.debitAccount, sortedDims(l.posting.debitDims)]);
    const cents = allocateTree(ofKind.map((l) => ({ path: [l.vendor, l.posting.entity, creditKey(l), debitKey(l)], nanos: l.nanos })));
    const nanos = ofKind.reduce((s, l) => s + l.nanos, 0n);
    totalNanos += nanos;
    totalCents += roundToCents(nanos);
    const entities = [...new Set(ofKind.map((l) => l.posting.entity))].sort();
    for (const entity of entities) {
      const idx = ofKind.map((l, i) => i).filter((i) => ofKind[i]!.posting.entity === entity);
      const debits: JournalLine[] = idx
        .map((i) => ({ l: ofKind[i]!, c: cents[i]! }))
        .sort((a, b) => (debitOrder(a.l) < debitOrder(b.l) ? -1 : 1))
        .map(({ l, c }) => ({
          side: 'debit' as const,
          account: l.posting.debitAccount,
          cents: c,
          nanos: l.nanos,
          dims: l.posting.debitDims,
          name: null,
          vendor: l.vendor,
          providers: makers([l]),
          memo: renderTemplate(o.lineMemo, {
            month: o.month,
            vendor: o.vendorName(l.vendor),
            provider: makers([l]).join(', '),
            team: l.team,
            teamName: o.teamName(l.team),
            costCenter: l.costCenter,
            account: l.posting.debitAccount,
          }),
        }));
      // A credit line is the sum of its debit lines: the tree gave them its cents.
      const credits = new Map<string, { l: Leaf; leaves: Leaf[]; cents: bigint; nanos: bigint }>();
      for (const i of idx) {
        const l = ofKind[i]!;
        const k = json([l.vendor, creditKey(l)]);
        const c = credits.get(k);
        if (c) {
          c.cents += cents[i]!;
          c.nanos += l.nanos;
          c.leaves.push(l);
        } else credits.set(k, { l, leaves: [l], cents: cents[i]!, nanos: l.nanos });
      }
      const creditLines: JournalLine[] = [...credits.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, { l, leaves: ls, cents: c, nanos: n }]) => ({
          side: 'credit' as const,
          account: l.posting.creditAccount,
          cents: c,
          nanos: n,
          dims: l.posting.creditDims,
          name: l.posting.creditName,
          vendor: l.vendor,
          providers: makers(ls),
          memo: renderTemplate(o.creditMemo, {
            month: o.month,
            vendor: o.vendorName(l.vendor),
            provider: makers(ls).join(', '),
            costCenter: l.posting.creditDims.costCenter ?? null,
            account: l.posting.creditAccount,
          }),
        }));
      const lines = [...debits, ...creditLines].filter((l) => l.cents > 0n);
      if (lines.length === 0) continue;
      // One entry per entity (subsidiary, company), named after it so the id is stable month to month.
      const id = `${o.journalId}${kind === 'adjustment' ? '-ADJ' : ''}${entity !== '' ? `-${slug(entity)}` : ''}`;
      entries.push({ kind, id, entity, date: o.lastDay, memo: kind === 'adjustment' ? o.adjustmentMemo : o.memo, lines });
    }
  }
  return { month: o.month, erp: o.erp, entries, totalNanos, totalCents };
}

function debitOrder(l: Leaf): string {
  return json([l.vendor, l.team ?? '\uffff', l.costCenter ?? '\uffff', l.posting.debitAccount, sortedDims(l.posting.debitDims)]);
}
