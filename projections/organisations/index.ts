import type { EndReason, Instant, Organisation } from '@registry/domain';
import type { RecordedEvent } from '@registry/event-store';
import type { Projection, ProjectionDocument, ProjectionDocuments } from '@registry/projector';
import type { PartnerType } from '@registry/shared-kernel';
import { asPartnershipEvent } from '@registry/domain';
import { insertSorted, lowerBound } from '../shared/sorted-array';

export const ORGANISATIONS = 'organisations';
/** Helper collection: the current partners of each partnership, so an end can close their memberships. */
export const ORGANISATION_ROSTERS = 'organisation_rosters';

export interface Membership {
  partnershipId: string;
  lead: boolean;
  /** effectiveAt of the join (the registration's, for a founding partner). */
  since: Instant;
  /** Set when the organisation was carried over from a partnership merged into this one. */
  viaMergeOf?: string;
}

export interface FormerMembership extends Membership {
  until: Instant;
  /** `left`: the organisation left; otherwise the partnership ended, for this reason. */
  endedBy: 'left' | EndReason;
  /** For `endedBy: 'merged'`: the partnership it was merged into. */
  mergedInto?: string;
}

/** Collection `organisations`, `_id` = orgId. */
export interface OrganisationDocument extends ProjectionDocument {
  name: string;
  type: PartnerType;
  country: string | null;
  /** effectiveAt of the listing name, type and country were last taken from (latest wins). */
  seenAt: Instant;
  /** Current memberships, sorted by partnershipId. */
  partnerships: Membership[];
  /** Memberships that ended (left, or the partnership ended), sorted by partnershipId then since. */
  formerPartnerships: FormerMembership[];
  partnershipCount: number;
  leadCount: number;
}

/** Collection `organisation_rosters`, `_id` = partnershipId; deleted when the partnership ends. */
export interface RosterDocument extends ProjectionDocument {
  /** orgIds of the current partners, sorted. */
  members: string[];
}

/**
 * The organisations and the partnerships they are in. A membership ends when the organisation
 * leaves or the partnership ends (merged included): it then moves to `formerPartnerships`.
 */
export const organisationsProjection: Projection = {
  name: 'organisations',
  // 2: an index on name (the default sort of GET /organisations).
  version: 2,
  collections: [
    {
      name: ORGANISATIONS,
      indexes: [
        { keys: { name: 1 }, name: 'name' },
        { keys: { type: 1 }, name: 'type' },
        { keys: { country: 1 }, name: 'country' },
        { keys: { partnershipCount: -1 }, name: 'partnershipCount' },
      ],
    },
    { name: ORGANISATION_ROSTERS, indexes: [] },
  ],

  async apply(recorded: RecordedEvent, documents: ProjectionDocuments): Promise<void> {
    const event = asPartnershipEvent(recorded);
    if (!event) return;
    const at = new Date(event.metadata.effectiveAt).toISOString();
    const partnershipId = event.data.partnershipId;

    switch (event.type) {
      case 'PartnerJoined': {
        const { partner, lead, viaMergeOf } = event.data;
        const org = seen((await documents.get<OrganisationDocument>(ORGANISATIONS, partner.orgId)) ?? blank(partner, at), partner, at);
        const membership: Membership = { partnershipId, lead, since: at, ...(viaMergeOf && { viaMergeOf }) };
        const current = lowerBound(org.partnerships, partnershipId, byPartnership);
        if (org.partnerships[current]?.partnershipId === partnershipId) org.partnerships[current] = membership;
        else org.partnerships.splice(current, 0, membership);
        documents.put(ORGANISATIONS, counted(org));
        const roster = (await documents.get<RosterDocument>(ORGANISATION_ROSTERS, partnershipId)) ?? { _id: partnershipId, members: [] };
        const slot = lowerBound(roster.members, partner.orgId, compare);
        if (roster.members[slot] !== partner.orgId) roster.members.splice(slot, 0, partner.orgId);
        documents.put(ORGANISATION_ROSTERS, roster);
        return;
      }
      case 'PartnerLeft': {
        const { orgId } = event.data;
        await end(documents, orgId, partnershipId, at, { endedBy: 'left' });
        const roster = await documents.get<RosterDocument>(ORGANISATION_ROSTERS, partnershipId);
        if (roster) documents.put(ORGANISATION_ROSTERS, { ...roster, members: roster.members.filter((id) => id !== orgId) });
        return;
      }
      case 'LeadPartnerDesignated': {
        const org = await documents.get<OrganisationDocument>(ORGANISATIONS, event.data.orgId);
        const membership = org && org.partnerships[membershipIndex(org, partnershipId)];
        if (!org || !membership || membership.lead) return;
        membership.lead = true;
        documents.put(ORGANISATIONS, counted(org));
        return;
      }
      case 'PartnershipEnded': {
        const roster = await documents.get<RosterDocument>(ORGANISATION_ROSTERS, partnershipId);
        const { reason, mergedInto } = event.data;
        for (const orgId of roster?.members ?? []) {
          await end(documents, orgId, partnershipId, at, { endedBy: reason, ...(mergedInto && { mergedInto }) });
        }
        documents.delete(ORGANISATION_ROSTERS, partnershipId);
        return;
      }
      default:
        return; // registrations (partners come as joins), reports, amendments, merge markers
    }
  },
};

export default organisationsProjection;

async function end(
  documents: ProjectionDocuments,
  orgId: string,
  partnershipId: string,
  until: Instant,
  how: Pick<FormerMembership, 'endedBy' | 'mergedInto'>,
): Promise<void> {
  const org = await documents.get<OrganisationDocument>(ORGANISATIONS, orgId);
  const index = org ? membershipIndex(org, partnershipId) : -1;
  if (!org || index < 0) return;
  const [membership] = org.partnerships.splice(index, 1);
  insertSorted(org.formerPartnerships, { ...membership, until, ...how }, byPartnershipThenSince);
  documents.put(ORGANISATIONS, counted(org));
}

function blank(partner: Organisation, at: Instant): OrganisationDocument {
  return {
    _id: partner.orgId,
    name: partner.name,
    type: partner.type,
    country: partner.country ?? null,
    seenAt: at,
    partnerships: [],
    formerPartnerships: [],
    partnershipCount: 0,
    leadCount: 0,
  };
}

/** Takes name, type and country from a listing no older than the one they came from. */
function seen(org: OrganisationDocument, partner: Organisation, at: Instant): OrganisationDocument {
  if (Date.parse(at) < Date.parse(org.seenAt)) return org;
  return { ...org, name: partner.name, type: partner.type, country: partner.country ?? org.country, seenAt: at };
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byPartnership = (m: Membership, partnershipId: string) => compare(m.partnershipId, partnershipId);
const byPartnershipThenSince = (a: Membership, b: Membership) => compare(a.partnershipId, b.partnershipId) || compare(a.since, b.since);

/** Where the current membership in `partnershipId` is in the sorted `partnerships`; -1 if none. */
function membershipIndex(org: OrganisationDocument, partnershipId: string): number {
  const index = lowerBound(org.partnerships, partnershipId, byPartnership);
  return org.partnerships[index]?.partnershipId === partnershipId ? index : -1;
}

/** The counts, from the memberships (kept sorted as they change: see `sorted-array`). */
function counted(org: OrganisationDocument): OrganisationDocument {
  org.partnershipCount = org.partnerships.length;
  let leads = 0;
  for (const membership of org.partnerships) if (membership.lead) leads++;
  org.leadCount = leads;
  return org;
}
