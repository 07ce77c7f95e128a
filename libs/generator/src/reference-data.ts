import type { Region } from '@registry/shared-kernel';

/** `CODE Name` pairs, so that the tables stay compact and the names need no locale data. */
function countries(table: string): [code: string, name: string][] {
  return table.split('|').map((entry) => [entry.slice(0, 2), entry.slice(3)]);
}

/** UN Member States by the regions of 000 ¶15 (regional commissions, roughly). */
export const COUNTRIES_BY_REGION: Readonly<Record<Region, readonly [string, string][]>> = {
  africa: countries(
    'DZ Algeria|AO Angola|BJ Benin|BW Botswana|BF Burkina Faso|BI Burundi|CM Cameroon|CV Cabo Verde|' +
      'CF Central African Republic|TD Chad|KM Comoros|CG Congo|CD Democratic Republic of the Congo|' +
      "CI Côte d'Ivoire|DJ Djibouti|EG Egypt|GQ Equatorial Guinea|ER Eritrea|ET Ethiopia|GA Gabon|GM Gambia|" +
      'GH Ghana|GN Guinea|GW Guinea-Bissau|KE Kenya|LS Lesotho|LR Liberia|LY Libya|MG Madagascar|MW Malawi|' +
      'ML Mali|MR Mauritania|MU Mauritius|MA Morocco|MZ Mozambique|NA Namibia|NE Niger|NG Nigeria|RW Rwanda|' +
      'ST Sao Tome and Principe|SN Senegal|SC Seychelles|SL Sierra Leone|SO Somalia|ZA South Africa|' +
      'SD Sudan|SZ Eswatini|TZ United Republic of Tanzania|TG Togo|TN Tunisia|UG Uganda|ZM Zambia|ZW Zimbabwe',
  ),
  'asia-pacific': countries(
    'AF Afghanistan|AU Australia|BD Bangladesh|BT Bhutan|BN Brunei Darussalam|KH Cambodia|CN China|FJ Fiji|' +
      'IN India|ID Indonesia|IR Iran|JP Japan|KZ Kazakhstan|KI Kiribati|KG Kyrgyzstan|' +
      "LA Lao People's Democratic Republic|MY Malaysia|MV Maldives|MH Marshall Islands|FM Micronesia|" +
      'MN Mongolia|MM Myanmar|NR Nauru|NP Nepal|NZ New Zealand|PK Pakistan|PW Palau|PG Papua New Guinea|' +
      'PH Philippines|KR Republic of Korea|WS Samoa|SB Solomon Islands|LK Sri Lanka|TJ Tajikistan|' +
      'TH Thailand|TL Timor-Leste|TO Tonga|TM Turkmenistan|TV Tuvalu|UZ Uzbekistan|VU Vanuatu|VN Viet Nam',
  ),
  'latin-america-caribbean': countries(
    'AG Antigua and Barbuda|AR Argentina|BS Bahamas|BB Barbados|BZ Belize|BO Bolivia|BR Brazil|CL Chile|' +
      'CO Colombia|CR Costa Rica|CU Cuba|DM Dominica|DO Dominican Republic|EC Ecuador|SV El Salvador|' +
      'GD Grenada|GT Guatemala|GY Guyana|HT Haiti|HN Honduras|JM Jamaica|MX Mexico|NI Nicaragua|PA Panama|' +
      'PY Paraguay|PE Peru|KN Saint Kitts and Nevis|LC Saint Lucia|VC Saint Vincent and the Grenadines|' +
      'SR Suriname|TT Trinidad and Tobago|UY Uruguay|VE Venezuela',
  ),
  'europe-north-america': countries(
    'AL Albania|AT Austria|AM Armenia|AZ Azerbaijan|BY Belarus|BE Belgium|BA Bosnia and Herzegovina|' +
      'BG Bulgaria|CA Canada|HR Croatia|CY Cyprus|CZ Czechia|DK Denmark|EE Estonia|FI Finland|FR France|' +
      'GE Georgia|DE Germany|GR Greece|HU Hungary|IS Iceland|IE Ireland|IL Israel|IT Italy|LV Latvia|' +
      'LT Lithuania|LU Luxembourg|MT Malta|MD Republic of Moldova|ME Montenegro|NL Netherlands|' +
      'MK North Macedonia|NO Norway|PL Poland|PT Portugal|RO Romania|RU Russian Federation|RS Serbia|' +
      'SK Slovakia|SI Slovenia|ES Spain|SE Sweden|CH Switzerland|TR Türkiye|UA Ukraine|GB United Kingdom|' +
      'US United States',
  ),
  'western-asia': countries(
    'BH Bahrain|IQ Iraq|JO Jordan|KW Kuwait|LB Lebanon|OM Oman|QA Qatar|SA Saudi Arabia|' +
      'SY Syrian Arab Republic|AE United Arab Emirates|YE Yemen|PS State of Palestine',
  ),
};

/** Governments that partner in many global partnerships (the donors of 000 ¶24): drawn first. */
export const FREQUENT_GOVERNMENTS: readonly string[] = [
  'US', 'JP', 'DE', 'GB', 'FR', 'NL', 'SE', 'NO', 'CA', 'AU', 'IT', 'ES', 'CH', 'DK', 'FI', 'NZ', 'ZA', 'BR', 'IN', 'CN',
];

/** [orgId, name] */
export const UN_SYSTEM: readonly [string, string][] = [
  ['unep', 'United Nations Environment Programme'],
  ['undp', 'United Nations Development Programme'],
  ['fao', 'Food and Agriculture Organization of the United Nations'],
  ['unesco', 'United Nations Educational, Scientific and Cultural Organization'],
  ['who', 'World Health Organization'],
  ['unido', 'United Nations Industrial Development Organization'],
  ['un-desa', 'United Nations Department of Economic and Social Affairs'],
  ['unitar', 'United Nations Institute for Training and Research'],
  ['un-habitat', 'United Nations Human Settlements Programme'],
  ['unicef', "United Nations Children's Fund"],
  ['ilo', 'International Labour Organization'],
  ['unctad', 'United Nations Conference on Trade and Development'],
  ['world-bank', 'World Bank'],
  ['wmo', 'World Meteorological Organization'],
  ['imo', 'International Maritime Organization'],
  ['ifad', 'International Fund for Agricultural Development'],
  ['unfpa', 'United Nations Population Fund'],
  ['wfp', 'World Food Programme'],
  ['iaea', 'International Atomic Energy Agency'],
  ['itu', 'International Telecommunication Union'],
  ['unwto', 'World Tourism Organization'],
  ['uneca', 'Economic Commission for Africa'],
  ['unescap', 'Economic and Social Commission for Asia and the Pacific'],
  ['uneclac', 'Economic Commission for Latin America and the Caribbean'],
  ['unece', 'Economic Commission for Europe'],
  ['unescwa', 'Economic and Social Commission for Western Asia'],
  ['unu', 'United Nations University'],
  ['unccd', 'Secretariat of the United Nations Convention to Combat Desertification'],
  ['unfccc', 'Secretariat of the United Nations Framework Convention on Climate Change'],
  ['cbd', 'Secretariat of the Convention on Biological Diversity'],
  ['basel-secretariat', 'Secretariat of the Basel Convention'],
  ['un-women', 'United Nations Entity for Gender Equality and the Empowerment of Women'],
];

export const INTERGOVERNMENTAL: readonly [string, string][] = [
  ['oecd', 'Organisation for Economic Co-operation and Development'],
  ['gef', 'Global Environment Facility'],
  ['iucn', 'International Union for Conservation of Nature'],
  ['european-commission', 'European Commission'],
  ['african-union', 'African Union Commission'],
  ['afdb', 'African Development Bank'],
  ['adb', 'Asian Development Bank'],
  ['idb', 'Inter-American Development Bank'],
  ['sprep', 'Secretariat of the Pacific Regional Environment Programme'],
  ['spc', 'Pacific Community'],
  ['asean', 'Association of Southeast Asian Nations'],
  ['caricom', 'Caribbean Community'],
  ['sadc', 'Southern African Development Community'],
  ['ecowas', 'Economic Community of West African States'],
  ['oas', 'Organization of American States'],
  ['cgiar', 'CGIAR'],
  ['iea', 'International Energy Agency'],
  ['irena', 'International Renewable Energy Agency'],
  ['commonwealth-secretariat', 'Commonwealth Secretariat'],
  ['oif', 'Organisation internationale de la Francophonie'],
  ['icimod', 'International Centre for Integrated Mountain Development'],
  ['sopac', 'Pacific Islands Applied Geoscience Commission'],
  ['cilss', 'Permanent Interstate Committee for Drought Control in the Sahel'],
  ['igad', 'Intergovernmental Authority on Development'],
  ['league-of-arab-states', 'League of Arab States'],
  ['isdb', 'Islamic Development Bank'],
  ['ramsar', 'Ramsar Convention Secretariat'],
  ['ipcc', 'Intergovernmental Panel on Climate Change'],
];

/** Parts of synthetic names of civil-society, business and other organisations. */
export const NAME_SYLLABLES: readonly string[] = [
  'ka', 'lo', 'mi', 'ra', 'te', 'vo', 'sa', 'nu', 'be', 'do', 'ri', 'an', 'el', 'or', 'ta', 'ne', 'ma', 'si', 'go', 'lu',
];
export const NAME_TOPICS: readonly string[] = [
  'Water', 'Energy', 'Forest', 'Ocean', 'Climate', 'Health', 'Soil', 'Mountain', 'River', 'Coastal', 'Urban', 'Rural',
  'Green', 'Solar', 'Earth', 'Waste', 'Food', 'Development', 'Environment', 'Sustainability',
];
