// A local OpenID provider configured like Pro Santé Connect, for the sign-in stories (run as its
// own process: oidc-provider is an ES module). Like PSC it publishes its discovery document at
// /.well-known/wallet-openid-configuration (the standard path answers 404 here, so a client that
// guessed it would fail), signs ID tokens RS256, knows the acr `eidas1`, and gives the `scope_all`
// claims (SubjectNameID = `8` + RPPS, SubjectRefPro, names). Who signs in next is set by the test:
// POST /test/next-person {"sub", "SubjectNameID", ...}; the login and consent steps are then
// passed at once, as a person with an e-CPS would. Prints `listening <port>` when ready.
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const { REDIRECT_URI, CLIENT_ID = 'snp-test', CLIENT_SECRET = 'psc-test-secret' } = process.env;
let nextPerson = null;
const people = new Map();

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uris: [REDIRECT_URI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    }],
    scopes: ['openid', 'scope_all'],
    claims: { openid: ['sub'], scope_all: ['SubjectNameID', 'SubjectRefPro', 'SubjectOrganization', 'given_name', 'family_name', 'acr'] },
    // eidas1 is what PSC asserts; eidas0 stands for a weaker sign-in the service must refuse.
    acrValues: ['eidas1', 'eidas0'],
    pkce: { required: () => true },
    features: { devInteractions: { enabled: false } },
    findAccount: (ctx, sub) => {
      const person = people.get(sub);
      return person && { accountId: sub, claims: () => ({ sub, ...person }) };
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    cookies: { keys: ['psc-test-cookie-key'] },
    ttl: { AccessToken: 300, AuthorizationCode: 60, IdToken: 300, Interaction: 600, Session: 600, Grant: 600 },
  });
  provider.proxy = false;
  const handle = provider.callback();

  server.on('request', async (req, res) => {
    try {
      if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(404).end();
        return;
      }
      if (req.url === '/.well-known/wallet-openid-configuration') {
        req.url = '/.well-known/openid-configuration';
        return handle(req, res);
      }
      if (req.method === 'POST' && req.url === '/test/next-person') {
        let body = '';
        for await (const chunk of req) body += chunk;
        nextPerson = JSON.parse(body);
        const { acr, ...claims } = nextPerson;
        people.set(nextPerson.sub, claims);
        res.writeHead(204).end();
        return;
      }
      const m = /^\/interaction\/([^/?]+)/.exec(req.url ?? '');
      if (m) {
        const details = await provider.interactionDetails(req, res);
        if (!nextPerson) {
          await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'no e-CPS' }, { mergeWithLastSubmission: false });
          return;
        }
        const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId: nextPerson.sub, clientId: details.params.client_id });
        grant.addOIDCScope('openid scope_all');
        grant.addOIDCClaims(['SubjectNameID', 'SubjectRefPro', 'given_name', 'family_name']);
        const grantId = await grant.save();
        await provider.interactionFinished(req, res, { login: { accountId: nextPerson.sub, acr: nextPerson.acr ?? 'eidas1' }, consent: { grantId } }, { mergeWithLastSubmission: false });
        return;
      }
      return handle(req, res);
    } catch (e) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e?.stack ?? e));
    }
  });
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
