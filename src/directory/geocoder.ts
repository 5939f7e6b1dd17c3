import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import type { GeoPoint } from './communes.service';

/** A feature of the geocoder's GeoJSON answer, as far as we read it. */
interface Feature {
  geometry?: { coordinates?: [number, number] };
  properties?: { type?: string; score?: number; citycode?: string };
}

/** The national geocoder's address match we trust for a practice: a street or a house number, scored at least this. */
const MIN_ADDRESS_SCORE = 0.5;

/**
 * The national geocoder (Géoplateforme `https://data.geopf.fr/geocodage`, successor of
 * api-adresse.data.gouv.fr; `GEOCODER_URL`, `off` to do without): a commune's centre the first time
 * one is needed, and a practice's address. Null when it does not answer in time, answers nothing
 * usable, or is off: the caller then says what to do in French. Never throws.
 */
@Injectable()
export class Geocoder {
  private readonly logger = new Logger(Geocoder.name);
  private readonly base: string | null;

  constructor(private readonly config: AppConfig) {
    this.base = config.GEOCODER_URL === 'off' ? null : config.GEOCODER_URL.replace(/\/+$/, '');
  }

  get enabled(): boolean {
    return this.base !== null;
  }

  /** A commune's centre: `search?q=<name>&type=municipality&citycode=<INSEE>&limit=1`. */
  async commune(code: string, name: string): Promise<GeoPoint | null> {
    const feature = await this.first({ q: name, type: 'municipality', citycode: code, limit: '1' });
    if (!feature || (feature.properties?.citycode && feature.properties.citycode !== code)) return null;
    return pointOf(feature);
  }

  /** A practice's address in its commune: a house number or a street, scored ≥ 0.5; else null (the commune's centre serves). */
  async address(address: string, citycode: string): Promise<GeoPoint | null> {
    const feature = await this.first({ q: address, citycode, limit: '1' });
    const p = feature?.properties;
    if (!feature || !p || (p.type !== 'housenumber' && p.type !== 'street') || (p.score ?? 0) < MIN_ADDRESS_SCORE) return null;
    return pointOf(feature);
  }

  private async first(params: Record<string, string>): Promise<Feature | null> {
    if (!this.base) return null;
    const url = `${this.base}/search?${new URLSearchParams(params)}`;
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(this.config.GEOCODER_TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (!res.ok) {
        this.logger.warn({ status: res.status, citycode: params.citycode }, 'geocoder refused');
        return null;
      }
      const body = (await res.json()) as { features?: Feature[] };
      return body.features?.[0] ?? null;
    } catch (e) {
      // The address itself never reaches the log (a practice's address is not secret, but the query may be a patient's some day).
      this.logger.warn({ citycode: params.citycode, err: (e as Error).name }, 'geocoder unreachable');
      return null;
    }
  }
}

function pointOf(f: Feature): GeoPoint | null {
  const [lon, lat] = f.geometry?.coordinates ?? [];
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat!) <= 90 && Math.abs(lon!) <= 180 ? { lat: lat!, lon: lon! } : null;
}
