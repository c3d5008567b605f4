// Starts a real, certified OpenID provider (oidc-provider) on 127.0.0.1 with an ephemeral port
// for the end-to-end tests, and prints one JSON line describing it. Test use only.
import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

// Signing keys made for this run: the app must validate ID tokens against the JWKS it fetches.
// Keys of the clients that sign their own JWTs (private_key_jwt, request objects). The tests get
// the private halves in the line this script prints.
const clientKeys = {
  rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
  ec: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
};
const clientPem = (pair) => pair.privateKey.export({ format: 'pem', type: 'pkcs8' });
const clientJwks = (pair, kid) => ({ keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig' }] });

const signingKeys = [
  ['rsa-e2e', generateKeyPairSync('rsa', { modulusLength: 2048 })],
  ['ec-e2e', generateKeyPairSync('ec', { namedCurve: 'P-256' })],
  ['ed-e2e', generateKeyPairSync('ed25519')],
].map(([kid, pair]) => ({ ...pair.privateKey.export({ format: 'jwk' }), kid, use: 'sig' }));

export const clients = {
  confidentialBasic: {
    client_id: 'workbench-confidential-basic',
    // Holds every character that client_secret_basic must form-encode (RFC 6749 §2.3.1).
    client_secret: 'se:cr+et %value with spaces',
    token_endpoint_auth_method: 'client_secret_basic',
  },
  confidentialPost: {
    client_id: 'workbench-confidential-post',
    client_secret: 'post-secret:+%',
    token_endpoint_auth_method: 'client_secret_post',
  },
  public: {
    client_id: 'workbench-public',
    token_endpoint_auth_method: 'none',
  },
  // One client per ID token signing algorithm the e2e tests validate.
  publicEs256: {
    client_id: 'workbench-public-es256',
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'ES256',
  },
  publicPs256: {
    client_id: 'workbench-public-ps256',
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'PS256',
  },
  publicEdDsa: {
    client_id: 'workbench-public-eddsa',
    token_endpoint_auth_method: 'none',
    id_token_signed_response_alg: 'EdDSA',
  },
  // A machine client: the client credentials grant only (RFC 6749 §4.4).
  service: {
    client_id: 'workbench-service',
    client_secret: 'service-secret-for-the-client-credentials-grant',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  },
  // RFC 7523 client authentication: HMAC with the secret, or the client's own private key.
  secretJwt: {
    client_id: 'workbench-secret-jwt',
    client_secret: 'a-client-secret-jwt-secret-longer-than-32-bytes',
    token_endpoint_auth_method: 'client_secret_jwt',
  },
  privateKeyJwtRsa: {
    client_id: 'workbench-private-key-jwt-rsa',
    token_endpoint_auth_method: 'private_key_jwt',
    jwks: clientJwks(clientKeys.rsa, 'client-rsa'),
    private_key_pem: clientPem(clientKeys.rsa),
    kid: 'client-rsa',
  },
  privateKeyJwtEc: {
    client_id: 'workbench-private-key-jwt-ec',
    token_endpoint_auth_method: 'private_key_jwt',
    token_endpoint_auth_signing_alg: 'ES256',
    jwks: clientJwks(clientKeys.ec, 'client-ec'),
    private_key_pem: clientPem(clientKeys.ec),
    kid: 'client-ec',
  },
  // A TV-style public client: the device authorization grant (RFC 8628) only.
  device: {
    client_id: 'workbench-device',
    token_endpoint_auth_method: 'none',
    grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    response_types: [],
    redirect_uris: [],
  },
  // Legacy browser grants: implicit (tokens in the fragment) and hybrid (code + ID token).
  implicit: {
    client_id: 'workbench-implicit',
    token_endpoint_auth_method: 'none',
    grant_types: ['implicit'],
    response_types: ['id_token token', 'id_token'],
  },
  hybrid: {
    client_id: 'workbench-hybrid',
    client_secret: 'hybrid-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: ['authorization_code', 'implicit'],
    response_types: ['code id_token'],
  },
  confidentialHs256: {
    client_id: 'workbench-confidential-hs256',
    client_secret: 'an-hs256-secret-that-is-longer-than-32-bytes',
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'HS256',
  },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: Object.values(clients).map(({ private_key_pem: _pem, kid: _kid, ...client }) => ({
      application_type: 'native',
      // RFC 8252 §7.3: a native client's loopback redirect URI matches on any port.
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...client, // a client's own grant types and redirect URIs win
    })),
    responseTypes: ['code', 'code id_token', 'id_token', 'id_token token', 'none'],
    cookies: { keys: ['workbench-e2e-cookie-key'] },
    jwks: { keys: signingKeys },
    enabledJWA: { idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'] },
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      claimsParameter: { enabled: true },
      requestObjects: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
    },
    // Every client that may use the refresh_token grant gets a refresh token, rotated on use.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    pkce: { required: (_ctx, client) => client.clientAuthMethod === 'none' },
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: async (_ctx, sub) => ({
      accountId: sub,
      claims: async () => ({ sub, email: `${sub}@example.test`, email_verified: true }),
    }),
  });
  provider.on('server_error', (_ctx, error) => console.error('provider server_error', error));
  server.on('request', provider.callback());

  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  console.log(JSON.stringify({ issuer, port, discovery, clients }));
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
// Stop with the test that started us: the test closes our stdin when it ends, even if it crashes.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
