import type { ReportActivity, Theme } from '@registry/shared-kernel';

const THEME_LABELS: Partial<Record<Theme, string>> = {
  'means-of-implementation': 'Means of Implementation',
  'natural-resources': 'the Natural Resource Base',
  'institutional-framework': 'the Institutional Framework for Sustainable Development',
  'consumption-production': 'Sustainable Consumption and Production',
  sids: 'Small Island Developing States',
  technology: 'Technology Transfer',
  information: 'Information for Decision-Making',
};

export function themeLabel(theme: Theme): string {
  return THEME_LABELS[theme] ?? theme.split('-').map((word) => word[0].toUpperCase() + word.slice(1)).join(' ');
}

const ACTIVITY_SENTENCES: Readonly<Record<ReportActivity, string>> = {
  'partnership-building': 'new partners joined and a steering committee met',
  'capacity-building': 'workshops trained national staff',
  'information-sharing': 'a web portal and newsletter shared results',
  publications: 'guidance documents and case studies were published',
  'technical-cooperation': 'field projects were carried out with national agencies',
};

export function reportSummary(activities: readonly ReportActivity[]): string {
  const sentences = activities.map((activity) => ACTIVITY_SENTENCES[activity]);
  return `During the period ${sentences.join('; ')}.`;
}

export const RATIONALES = {
  wssd: 'Launched at the World Summit on Sustainable Development, Johannesburg',
  registered: 'Registered with the Commission on Sustainable Development secretariat',
  amended: 'Updated details communicated by the lead partner',
  backDated: 'Late notification of a change already in effect',
  correction: (date: string) => `Correction of the amendment effective ${date}`,
  merged: 'Partnerships combined: overlapping partners and one work programme',
  completed: 'Work programme completed',
  dissolved: 'Dissolved by its partners',
  inactive: 'No progress report received: marked inactive by the secretariat',
} as const;
