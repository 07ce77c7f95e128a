import type { TrendFacet } from '@registry/projections';
import { PARTNER_TYPES, type PartnerType } from '@registry/shared-kernel';

/**
 * A trend facet kept in memory by the as-of index, compactly: the partners (22 on average, 7,877
 * listings for 348 partnerships) as one Int32Array of `orgIndex * 32 + typeIndex * 2 + lead`
 * over an interned table of organisation ids, the rest as its JSON text (about 300 bytes).
 * Decoded to the trends projection's own `TrendFacet`, so `evolve`, `facetOf` and `contribution`
 * decide everything.
 */
export interface CompactFacet {
  json: string;
  partners: Int32Array;
}

export class FacetCodec {
  private readonly orgIndex = new Map<string, number>();
  readonly orgIds: string[] = [];
  private readonly typeIndex = new Map<string, number>(PARTNER_TYPES.map((type, index) => [type, index]));
  /** Partner types outside the vocabulary (another taxonomy), appended after it. */
  readonly types: string[] = [...PARTNER_TYPES];

  constructor(orgIds: readonly string[] = [], types: readonly string[] = PARTNER_TYPES) {
    for (const orgId of orgIds) this.org(orgId);
    for (const type of types) this.type(type);
  }

  encode(facet: TrendFacet): CompactFacet {
    const { partners, ...rest } = facet;
    const encoded = new Int32Array(partners.length);
    partners.forEach(({ orgId, type, lead }, i) => {
      encoded[i] = this.org(orgId) * 32 + this.type(type) * 2 + (lead ? 1 : 0);
    });
    return { json: JSON.stringify(rest), partners: encoded };
  }

  decode({ json, partners }: CompactFacet): TrendFacet {
    const facet = JSON.parse(json) as TrendFacet;
    facet.partners = Array.from(partners, (code) => ({
      orgId: this.orgIds[Math.floor(code / 32)],
      type: this.types[(code % 32) >> 1] as PartnerType,
      lead: (code & 1) === 1,
    }));
    return facet;
  }

  private org(orgId: string): number {
    let index = this.orgIndex.get(orgId);
    if (index === undefined) {
      index = this.orgIds.length;
      this.orgIds.push(orgId);
      this.orgIndex.set(orgId, index);
    }
    return index;
  }

  private type(type: string): number {
    let index = this.typeIndex.get(type);
    if (index === undefined) {
      index = this.types.length;
      if (index >= 16) throw new RangeError('more than 16 partner types');
      this.types.push(type);
      this.typeIndex.set(type, index);
    }
    return index;
  }
}
