import { Modality } from '../slots/slot-rules';

/**
 * The demo CPTS: the Dunois around Châteaudun (Eure-et-Loir). Names and addresses are invented;
 * commune codes and centres come from data/communes-demo.csv. RPPS prefixes get their Luhn digit.
 */
/** A made-up FINESS number (valid key) for the demo CPTS: the SAS façade shows only CPTS that have one. */
export const DEMO_COMMUNITY = { name: 'CPTS du Dunois (démo)', communeCodes: ['28088', '28051', '28103', '28061', '28085', '28134', '28280'], finess: '280009994' };
export const DEMO_PASSWORD = 'demo-snp-2026';

export interface DemoPractice {
  key: string;
  name: string;
  address: string;
  communeCode: string;
  phone: string;
  practitioners: Array<{
    rppsPrefix: string;
    firstName: string;
    lastName: string;
    minPatientAgeMonths?: number;
    modalities?: Modality[];
    // Weekly SNP template(s): local times, every day so the demo always has slots today and tomorrow.
    templates: Array<{ startTime: string; endTime: string; slotMinutes: number; modality?: Modality }>;
  }>;
}

export const DEMO_PRACTICES: DemoPractice[] = [
  {
    key: 'chateaudun',
    name: 'Maison de santé du Dunois',
    address: '12 rue de la République, 28200 Châteaudun',
    communeCode: '28088',
    phone: '02 37 45 10 10',
    practitioners: [
      { rppsPrefix: '1000100001', firstName: 'Claire', lastName: 'Moreau', templates: [{ startTime: '08:30', endTime: '09:30', slotMinutes: 15 }, { startTime: '17:00', endTime: '18:00', slotMinutes: 15 }] },
      { rppsPrefix: '1000100002', firstName: 'Karim', lastName: 'Benali', modalities: ['in_person', 'teleconsultation'], templates: [{ startTime: '12:30', endTime: '13:30', slotMinutes: 20 }, { startTime: '19:00', endTime: '21:00', slotMinutes: 20, modality: 'teleconsultation' }] },
      { rppsPrefix: '1000100003', firstName: 'Hélène', lastName: 'Roux', minPatientAgeMonths: 180, templates: [{ startTime: '10:00', endTime: '11:00', slotMinutes: 15 }] },
    ],
  },
  {
    key: 'bonneval',
    name: 'Cabinet médical de Bonneval',
    address: '3 place du Marché, 28800 Bonneval',
    communeCode: '28051',
    phone: '02 37 47 20 20',
    practitioners: [
      { rppsPrefix: '1000100004', firstName: 'Thomas', lastName: 'Lefèvre', templates: [{ startTime: '08:00', endTime: '09:00', slotMinutes: 15 }, { startTime: '14:00', endTime: '15:00', slotMinutes: 15 }] },
    ],
  },
  {
    key: 'cloyes',
    name: 'Centre de santé de Cloyes',
    address: '8 rue Saint-Georges, 28220 Cloyes-les-Trois-Rivières',
    communeCode: '28103',
    phone: '02 37 98 30 30',
    practitioners: [
      { rppsPrefix: '1000100005', firstName: 'Sophie', lastName: 'Garnier', modalities: ['in_person', 'home_visit'], templates: [{ startTime: '11:00', endTime: '12:00', slotMinutes: 30, modality: 'home_visit' }, { startTime: '16:00', endTime: '17:00', slotMinutes: 15 }] },
    ],
  },
  {
    key: 'brou',
    name: 'Cabinet des Halles',
    address: '5 place des Halles, 28160 Brou',
    communeCode: '28061',
    phone: '02 37 47 40 40',
    practitioners: [
      { rppsPrefix: '1000100006', firstName: 'Julien', lastName: 'Perrin', templates: [{ startTime: '09:30', endTime: '10:30', slotMinutes: 15 }, { startTime: '18:00', endTime: '23:00', slotMinutes: 30 }] },
    ],
  },
];
