/**
 * The 96 departments of mainland France (Corsica included) for the national scale of the
 * benchmark: the position of each one's prefecture, and how far around it its practices spread
 * (half-widths in degrees of latitude and longitude: about a department's size; a few around Paris
 * are much smaller and denser). Their population comes from the official commune list
 * (@etalab/decoupage-administratif), so that practices are placed where people live.
 */
export interface Department {
  code: string;
  lat: number;
  lon: number;
  /** Half-widths (degrees) of the area its scattered practices cover. */
  spreadLat: number;
  spreadLon: number;
}

/** Prefecture positions (degrees, about 1 km). */
const PREFECTURES: Record<string, [number, number]> = {
  '01': [46.205, 5.226], '02': [49.564, 3.62], '03': [46.566, 3.333], '04': [44.092, 6.236], '05': [44.559, 6.079],
  '06': [43.71, 7.262], '07': [44.735, 4.599], '08': [49.773, 4.72], '09': [42.965, 1.607], '10': [48.297, 4.074],
  '11': [43.213, 2.349], '12': [44.35, 2.575], '13': [43.296, 5.37], '14': [49.183, -0.371], '15': [44.926, 2.44],
  '16': [45.649, 0.156], '17': [46.16, -1.151], '18': [47.081, 2.399], '19': [45.267, 1.77], '2A': [41.919, 8.738],
  '2B': [42.697, 9.45], '21': [47.322, 5.041], '22': [48.514, -2.765], '23': [46.171, 1.871], '24': [45.184, 0.721],
  '25': [47.238, 6.024], '26': [44.933, 4.892], '27': [49.027, 1.151], '28': [48.446, 1.489], '29': [47.996, -4.102],
  '30': [43.837, 4.36], '31': [43.604, 1.444], '32': [43.646, 0.586], '33': [44.838, -0.579], '34': [43.611, 3.877],
  '35': [48.117, -1.678], '36': [46.811, 1.686], '37': [47.394, 0.685], '38': [45.188, 5.724], '39': [46.675, 5.555],
  '40': [43.89, -0.5], '41': [47.586, 1.336], '42': [45.44, 4.387], '43': [45.043, 3.885], '44': [47.218, -1.554],
  '45': [47.903, 1.909], '46': [44.448, 1.441], '47': [44.203, 0.616], '48': [44.518, 3.5], '49': [47.478, -0.563],
  '50': [49.116, -1.09], '51': [48.957, 4.365], '52': [48.111, 5.139], '53': [48.073, -0.77], '54': [48.692, 6.184],
  '55': [48.772, 5.16], '56': [47.658, -2.76], '57': [49.12, 6.176], '58': [46.99, 3.159], '59': [50.629, 3.057],
  '60': [49.43, 2.081], '61': [48.432, 0.091], '62': [50.291, 2.777], '63': [45.778, 3.087], '64': [43.295, -0.37],
  '65': [43.233, 0.078], '66': [42.699, 2.895], '67': [48.573, 7.752], '68': [48.079, 7.358], '69': [45.764, 4.836],
  '70': [47.622, 6.155], '71': [46.307, 4.828], '72': [48.006, 0.199], '73': [45.564, 5.918], '74': [45.899, 6.129],
  '75': [48.857, 2.352], '76': [49.443, 1.099], '77': [48.54, 2.66], '78': [48.805, 2.13], '79': [46.323, -0.464],
  '80': [49.894, 2.296], '81': [43.929, 2.148], '82': [44.018, 1.355], '83': [43.124, 5.928], '84': [43.949, 4.806],
  '85': [46.67, -1.426], '86': [46.58, 0.34], '87': [45.834, 1.261], '88': [48.173, 6.45], '89': [47.798, 3.567],
  '90': [47.64, 6.863], '91': [48.629, 2.441], '92': [48.892, 2.207], '93': [48.908, 2.44], '94': [48.79, 2.455],
  '95': [49.036, 2.076],
};

/** Half-widths of the departments smaller than the usual ~100 km across: Paris, its inner and outer ring, Belfort. */
const COMPACT: Record<string, [number, number]> = {
  '75': [0.05, 0.07], '92': [0.08, 0.1], '93': [0.08, 0.1], '94': [0.08, 0.1],
  '77': [0.3, 0.4], '78': [0.25, 0.3], '91': [0.25, 0.3], '95': [0.2, 0.3], '90': [0.15, 0.2],
};

export const DEPARTMENTS: Department[] = Object.entries(PREFECTURES).map(([code, [lat, lon]]) => {
  const [spreadLat, spreadLon] = COMPACT[code] ?? [0.45, 0.6];
  return { code, lat, lon, spreadLat, spreadLon };
});

/** Each department's population (communes of today, mainland France). */
export function departmentPopulations(): Map<string, number> {
  const population = new Map<string, number>();
  // Read at run time (typing a 37,000-commune JSON would slow every build down).
  const communes: Array<{ type: string; zone: string; departement: string; population?: number }> = require('@etalab/decoupage-administratif/data/communes.json');
  for (const c of communes) {
    if (c.type !== 'commune-actuelle' || c.zone !== 'metro') continue;
    population.set(c.departement, (population.get(c.departement) ?? 0) + (c.population ?? 0));
  }
  return population;
}

/** `total` split between the departments in proportion to their population (largest remainders: the parts add up to `total`). */
export function shareByPopulation(total: number): Map<string, number> {
  const population = departmentPopulations();
  const all = DEPARTMENTS.reduce((n, d) => n + (population.get(d.code) ?? 0), 0);
  const exact = DEPARTMENTS.map((d) => ({ code: d.code, x: (total * (population.get(d.code) ?? 0)) / all }));
  const parts = new Map(exact.map((e) => [e.code, Math.floor(e.x)]));
  let left = total - [...parts.values()].reduce((a, b) => a + b, 0);
  for (const e of [...exact].sort((a, b) => (b.x % 1) - (a.x % 1))) {
    if (left-- <= 0) break;
    parts.set(e.code, parts.get(e.code)! + 1);
  }
  return parts;
}
