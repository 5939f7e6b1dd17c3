import { FastifyInstance } from 'fastify';
import { ValidationFailedError } from '../errors/domain-errors';

/** Deeper than this, a body is no request of ours: refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 32;

/**
 * Why a parsed body is refused, or null: nested deeper than MAX_JSON_DEPTH, or a string holding a
 * NUL character (PostgreSQL stores no NUL in text, and no field of ours needs one). Walked with an
 * explicit stack, so a hostile body cannot exhaust the call stack here either.
 */
export function refusedBody(value: unknown): string | null {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'Le texte envoyé contient un caractère nul (\\u0000) : retirez-le';
    } else if (v !== null && typeof v === 'object') {
      if (depth > MAX_JSON_DEPTH) return `Le corps de la requête est imbriqué trop profondément (plus de ${MAX_JSON_DEPTH} niveaux)`;
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000')) return 'Un nom de champ contient un caractère nul (\\u0000)';
        stack.push([child, depth + 1]);
      }
    }
  }
  return null;
}

/**
 * The only bodies taken: JSON, through Fastify's own parser (prototype-poisoning protection kept),
 * then refused with 400 when refusedBody() says so; a NUL in the query string (%00) likewise. Any
 * other content type (text/plain included, which Fastify would hand over as a string) is 415.
 */
export function guardJsonBodies(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  // FHIR's own JSON types too: `application/fhir+json` (R4) and `application/json+fhir` (what the SAS sends).
  fastify.addContentTypeParser(['application/json', 'application/fhir+json', 'application/json+fhir'], { parseAs: 'string' }, (req, body, done) => {
    parse(req, body as string, (err: Error | null, value?: unknown) => {
      if (err) return done(err, undefined);
      const refused = refusedBody(value);
      done(refused ? new ValidationFailedError(refused) : null, value);
    });
  });
  fastify.addHook('onRequest', (req, _reply, done) => {
    const q = req.url.indexOf('?');
    done(q >= 0 && /%00/.test(req.url.slice(q)) ? new ValidationFailedError('L’adresse contient un caractère nul (%00) : retirez-le') : undefined);
  });
}
