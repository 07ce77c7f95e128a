import { AMENDABLE_FIELDS, type PartnershipDetails, type PartnershipEvent, type Resources } from '@registry/domain';
import type { Region } from '@registry/shared-kernel';

/** Region names as the 2010 report gives them (000 ¶15). */
export const REGION_NAMES: Record<Region, string> = {
  africa: 'Africa',
  'asia-pacific': 'Asia and the Pacific',
  'latin-america-caribbean': 'Latin America and the Caribbean',
  'europe-north-america': 'Europe and North America',
  'western-asia': 'Western Asia',
};

/**
 * One English sentence for a timeline entry. `partnerName` names an organisation by its id
 * (events after a join carry only the id); it falls back to the id.
 */
export function summarize(event: PartnershipEvent, partnerName: (orgId: string) => string): string {
  switch (event.type) {
    case 'PartnershipRegistered': {
      const { name, scope, themes } = event.data;
      return `Registered as "${name}" (${scope}; primary themes: ${list(themes.primary)})`;
    }
    case 'PartnerJoined': {
      const { partner, lead, viaMergeOf } = event.data;
      const as = lead ? 'lead partner' : 'partner';
      return viaMergeOf ? `${partner.name} joined as ${as}, carried over from ${viaMergeOf}` : `${partner.name} joined as ${as}`;
    }
    case 'PartnerLeft':
      return `${partnerName(event.data.orgId)} left`;
    case 'LeadPartnerDesignated':
      return `${partnerName(event.data.orgId)} designated as lead partner`;
    case 'ReportFiled': {
      const { reportId, period, activities } = event.data;
      const filed = `Progress report ${reportId} filed for ${period.from} to ${period.to}`;
      return activities.length > 0 ? `${filed} (${activities.join(', ')})` : filed;
    }
    case 'PartnershipAmended':
      return capitalize(describeChanges(event.data.changes));
    case 'PartnershipMerged':
      return `Merged into ${event.data.into}`;
    case 'PartnershipAbsorbed':
      return `Absorbed ${event.data.absorbed}`;
    case 'PartnershipEnded':
      return event.data.reason === 'merged' && event.data.mergedInto
        ? `Ended: merged into ${event.data.mergedInto}`
        : `Ended: ${event.data.reason}`;
  }
}

/** "scope amended to regional; regions amended to Africa", in the order of the attributes. */
export function describeChanges(changes: Partial<PartnershipDetails>): string {
  const parts = AMENDABLE_FIELDS.filter((field) => changes[field] !== undefined).map((field) => describeChange(field, changes));
  return parts.length > 0 ? parts.join('; ') : 'details amended';
}

function describeChange(field: keyof PartnershipDetails, changes: Partial<PartnershipDetails>): string {
  switch (field) {
    case 'name':
      return `name amended to "${changes.name}"`;
    case 'description':
      return 'description amended';
    case 'themes': {
      const { primary, secondary } = changes.themes!;
      return `themes amended to primary ${list(primary)}; secondary ${list(secondary)}`;
    }
    case 'scope':
      return `scope amended to ${changes.scope}`;
    case 'regions':
      return changes.regions!.length > 0 ? `regions amended to ${list(changes.regions!.map((region) => REGION_NAMES[region] ?? region))}` : 'regions cleared';
    case 'countries':
      return changes.countries!.length > 0 ? `countries amended to ${list(changes.countries!)}` : 'countries cleared';
    case 'startDate':
      return `start date amended to ${changes.startDate}`;
    case 'endDate':
      return changes.endDate === null ? 'end date cleared (open-ended)' : `end date amended to ${changes.endDate}`;
    case 'resources':
      return changes.resources === null ? 'resources cleared' : `resources amended (${describeResources(changes.resources!)})`;
    case 'mechanisms':
      return changes.mechanisms!.length > 0 ? `mechanisms amended to ${list(changes.mechanisms!)}` : 'mechanisms cleared';
  }
}

function describeResources(resources: Resources): string {
  const parts = [resources.financialSecured ? 'financial resources secured' : 'no financial resources secured'];
  if (resources.inKind.length > 0) parts.push(`in kind: ${list(resources.inKind)}`);
  if (resources.seekingFunding) {
    const amount = resources.seekingAmount;
    parts.push(amount ? `seeking ${amount.amount} ${amount.currency}` : 'seeking funding');
  }
  if (resources.fundingSources.length > 0) parts.push(`funded by ${list(resources.fundingSources)}`);
  return parts.join(', ');
}

const list = (values: readonly string[]): string => (values.length > 0 ? values.join(', ') : 'none');
const capitalize = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
