// panva's certified oidc-provider on 127.0.0.1, for the end-to-end officer sign-in test.
// Started by tests/oidc/fixtures.py; never part of the product. oidc-provider 8.x: the
// newest major that supports Node.js 20, the Node our machines and CI have (9.x wants 22).
//
// Configuration: JSON in the file named by OIDC_TEST_CONFIG (written by the fixture):
//   { "clients": [{ client_id, client_secret, redirect_uris, post_logout_redirect_uris }],
//     "accounts": { "<account id = sub>": { name, email, roles, collar_number, team } },
//     "role_claim": "roles" }
// It listens on a free port (port 0) and prints one line when ready:
//   READY http://127.0.0.1:<port>
// The issuer is that URL. Sign-in uses the built-in development pages (devInteractions):
// any password is accepted for a configured account id.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.env.OIDC_TEST_CONFIG, 'utf8'));
const roleClaim = config.role_claim ?? 'roles';

function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256', kid: 'test-1' };
}

async function findAccount(ctx, id) {
  const claims = config.accounts[id];
  if (!claims) return undefined;
  return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
}

function providerConfiguration() {
  return {
    clients: config.clients.map((client) => ({
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      ...client,
    })),
    findAccount,
    jwks: { keys: [signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // The relying party reads roles, collar number and team from the id_token, as it
    // will from a force's provider; conformIdTokenClaims would move them to /userinfo.
    claims: {
      openid: ['sub', roleClaim, 'collar_number', 'team'],
      profile: ['name'],
      email: ['email'],
    },
    conformIdTokenClaims: false,
    // Every client must use PKCE, and only S256.
    pkce: { methods: ['S256'], required: () => true },
    features: {
      devInteractions: { enabled: true },
      rpInitiatedLogout: { enabled: true },
    },
    ttl: {
      AccessToken: 600, AuthorizationCode: 60, IdToken: 600,
      Interaction: 600, Session: 3600, Grant: 3600,
    },
  };
}

const server = createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, providerConfiguration());
  server.on('request', provider.callback());
  console.log(`READY ${issuer}`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
