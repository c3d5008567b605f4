// Starts a real, certified OpenID provider (oidc-provider) on 127.0.0.1 with an ephemeral port
// for the end-to-end tests, and prints one JSON line describing it. Test use only.
import {
  createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, verify,
} from 'node:crypto';
import http from 'node:http';
import {
  calculateJwkThumbprint, EmbeddedJWK, importJWK, jwtVerify, SignJWT,
} from 'jose';
import Provider, { errors } from 'oidc-provider';

// Each start-up step with the time since the process began, on stderr: the test shows stderr
// when no JSON line came, so a stalled start says where it stalled.
const step = (what) => process.stderr.write(`provider.mjs ${performance.now().toFixed(0)} ms: ${what}\n`);
step('modules loaded');

const INITIAL_ACCESS_TOKEN = randomBytes(24).toString('base64url');
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const CIBA = 'urn:openid:params:grant-type:ciba';

// Signing keys made for this run: the app must validate ID tokens against the JWKS it fetches.
// Keys of the clients that sign their own JWTs (private_key_jwt, request objects). The tests get
// the private halves in the line this script prints.
//
// The pairs come out of the generator as PEM and are read back as key objects: exporting a JWK
// straight from a generated key object can deadlock Node 20 when the garbage collector destroys
// the generator's job during the export (seen here: provider.mjs stalled after "modules loaded",
// its main thread waiting on a mutex under ExportJWKRsaKey -> GC -> ~KeyGenJob).
const newKeyPair = (type, options = {}) => {
  const pair = generateKeyPairSync(type, {
    ...options,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey: createPrivateKey(pair.privateKey), publicKey: createPublicKey(pair.publicKey) };
};
const clientKeys = {
  rsa: newKeyPair('rsa', { modulusLength: 2048 }),
  ec: newKeyPair('ec', { namedCurve: 'P-256' }),
  // The keys the provider encrypts to (JWE): their public halves are the clients' "enc" keys.
  encRsa: newKeyPair('rsa', { modulusLength: 2048 }),
  encEc: newKeyPair('ec', { namedCurve: 'P-256' }),
};
const clientPem = (pair) => pair.privateKey.export({ format: 'pem', type: 'pkcs8' });
const clientJwks = (pair, kid) => ({ keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'sig' }] });
const encryptionJwks = (pair, kid) => ({ keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid, use: 'enc' }] });

const signingKeys = [
  ['rsa-e2e', newKeyPair('rsa', { modulusLength: 2048 })],
  ['ec-e2e', newKeyPair('ec', { namedCurve: 'P-256' })],
  ['ed-e2e', newKeyPair('ed25519')],
].map(([kid, pair]) => ({ ...pair.privateKey.export({ format: 'jwk' }), kid, use: 'sig' }));
// The provider's own encryption keys (use "enc"), published beside the signing keys: what a client
// encrypts its request objects to (RFC 9101 §4).
const encryptionKeys = [
  ['rsa-enc-e2e', newKeyPair('rsa', { modulusLength: 2048 })],
  ['ec-enc-e2e', newKeyPair('ec', { namedCurve: 'P-256' })],
].map(([kid, pair]) => ({ ...pair.privateKey.export({ format: 'jwk' }), kid, use: 'enc' }));
// A key no one published, under the provider's RSA kid: what a forger of JARM responses signs with.
const impostorKey = { ...newKeyPair('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'rsa-e2e' };
step('keys made');

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
  // The demo single-page app the provider serves (/spa/): a browser-based client whose whole
  // login, token request included, a browser capture records. Its redirect URI names the issuer.
  spa: {
    client_id: 'workbench-spa',
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
  // Encryption (OIDC Core §10.2, JARM §2.2): ID tokens, UserInfo and JARM responses signed by
  // the provider, then encrypted to the client's "enc" key. The tests get its private half.
  encryptedRsa: {
    client_id: 'workbench-encrypted-rsa',
    token_endpoint_auth_method: 'none',
    jwks: encryptionJwks(clientKeys.encRsa, 'client-enc-rsa'),
    id_token_encrypted_response_alg: 'RSA-OAEP-256',
    id_token_encrypted_response_enc: 'A256GCM',
    userinfo_signed_response_alg: 'RS256',
    userinfo_encrypted_response_alg: 'RSA-OAEP',
    userinfo_encrypted_response_enc: 'A128CBC-HS256',
    authorization_encrypted_response_alg: 'RSA-OAEP-256',
    authorization_encrypted_response_enc: 'A256CBC-HS512',
    decryption_key_pem: clientPem(clientKeys.encRsa),
    decryption_kid: 'client-enc-rsa',
  },
  encryptedEc: {
    client_id: 'workbench-encrypted-ec',
    token_endpoint_auth_method: 'none',
    jwks: encryptionJwks(clientKeys.encEc, 'client-enc-ec'),
    id_token_encrypted_response_alg: 'ECDH-ES+A128KW',
    id_token_encrypted_response_enc: 'A128GCM',
    authorization_encrypted_response_alg: 'ECDH-ES',
    authorization_encrypted_response_enc: 'A256GCM',
    decryption_key_pem: clientPem(clientKeys.encEc),
    decryption_kid: 'client-enc-ec',
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
  // CIBA in poll mode (a confidential client, no redirects): its requests reach the test's
  // "authentication device" (CIBA_DEVICE_PATH).
  ciba: {
    client_id: 'workbench-ciba',
    client_secret: 'ciba-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [CIBA],
    response_types: [],
    redirect_uris: [],
    backchannel_token_delivery_mode: 'poll',
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
  // Grants oidc-provider leaves to the deployment, registered below (registerGrantType): the
  // provider still authenticates the client, checks the grant is allowed and shapes the answer.
  tokenExchange: {
    client_id: 'workbench-token-exchange',
    client_secret: 'token-exchange-secret',
    token_endpoint_auth_method: 'client_secret_basic',
    grant_types: [TOKEN_EXCHANGE],
    response_types: [],
    redirect_uris: [],
  },
  jwtBearer: {
    client_id: 'workbench-jwt-bearer',
    token_endpoint_auth_method: 'private_key_jwt',
    grant_types: [JWT_BEARER],
    response_types: [],
    redirect_uris: [],
    jwks: clientJwks(clientKeys.rsa, 'client-rsa'),
    private_key_pem: clientPem(clientKeys.rsa),
    kid: 'client-rsa',
  },
  password: {
    client_id: 'workbench-password',
    client_secret: 'password-grant-secret',
    token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['password'],
    response_types: [],
    redirect_uris: [],
    test_username: 'alice',
    test_password: 'correct horse battery staple',
  },
  confidentialHs256: {
    client_id: 'workbench-confidential-hs256',
    client_secret: 'an-hs256-secret-that-is-longer-than-32-bytes',
    token_endpoint_auth_method: 'client_secret_basic',
    id_token_signed_response_alg: 'HS256',
  },
};

// An access token for the authenticated client, as oidc-provider's own client credentials grant
// makes it, with the grant's extra members.
async function issueAccessToken(provider, ctx, extra = {}) {
  const { client, params } = ctx.oidc;
  const token = new provider.ClientCredentials({ client, scope: params.scope || undefined });
  const value = await token.save();
  ctx.body = {
    access_token: value,
    token_type: 'Bearer',
    expires_in: token.expiration,
    ...(token.scope ? { scope: token.scope } : {}),
    ...extra,
  };
}

const required = (params, name) => {
  if (!params[name]) throw new errors.InvalidRequest(`missing required parameter '${name}'`);
  return params[name];
};

// The JWT bearer grant's assertion (RFC 7523 §3): signed by the client's registered key, issued
// by the client, for this issuer, not expired, with a subject.
function checkAssertion(assertion, issuer, client) {
  const parts = assertion.split('.');
  if (parts.length !== 3) throw new errors.InvalidGrant('the assertion is not a signed JWT');
  let header;
  let claims;
  try {
    header = JSON.parse(Buffer.from(parts[0], 'base64url'));
    claims = JSON.parse(Buffer.from(parts[1], 'base64url'));
  } catch {
    throw new errors.InvalidGrant('the assertion is not a signed JWT');
  }
  const jwk = client.jwks.keys.find((key) => !header.kid || key.kid === header.kid);
  const algorithms = { RS256: {}, ES256: { dsaEncoding: 'ieee-p1363' } };
  if (!jwk || !(header.alg in algorithms)) throw new errors.InvalidGrant('the assertion is signed with an unknown key or algorithm');
  const key = { key: createPublicKey({ key: jwk, format: 'jwk' }), ...algorithms[header.alg] };
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`);
  if (!verify('sha256', signed, key, Buffer.from(parts[2], 'base64url'))) {
    throw new errors.InvalidGrant('the assertion signature is invalid');
  }
  const audiences = [].concat(claims.aud ?? []);
  if (claims.iss !== client.client_id) throw new errors.InvalidGrant('the assertion was not issued by this client');
  if (!audiences.includes(issuer)) throw new errors.InvalidGrant('the assertion is not meant for this issuer');
  if (!(claims.exp > Date.now() / 1000)) throw new errors.InvalidGrant('the assertion has expired');
  if (!claims.sub) throw new errors.InvalidGrant('the assertion has no subject');
}

function registerGrants(provider, issuer) {
  provider.registerGrantType(TOKEN_EXCHANGE, async (ctx) => {
    const { params } = ctx.oidc;
    const subjectToken = required(params, 'subject_token');
    if (required(params, 'subject_token_type') !== ACCESS_TOKEN_TYPE) {
      throw new errors.InvalidRequest('only access tokens are accepted as subject_token');
    }
    const subject = (await provider.ClientCredentials.find(subjectToken))
      ?? (await provider.AccessToken.find(subjectToken));
    if (!subject) throw new errors.InvalidGrant('subject_token is invalid, expired or revoked');
    await issueAccessToken(provider, ctx, { issued_token_type: ACCESS_TOKEN_TYPE });
  }, ['subject_token', 'subject_token_type', 'actor_token', 'actor_token_type',
    'requested_token_type', 'scope', 'audience', 'resource'], ['audience', 'resource']);

  provider.registerGrantType(JWT_BEARER, async (ctx) => {
    checkAssertion(required(ctx.oidc.params, 'assertion'), issuer, clients.jwtBearer);
    await issueAccessToken(provider, ctx);
  }, ['assertion', 'scope']);

  provider.registerGrantType('password', async (ctx) => {
    const { params } = ctx.oidc;
    const username = required(params, 'username');
    const password = required(params, 'password');
    if (username !== clients.password.test_username || password !== clients.password.test_password) {
      throw new errors.InvalidGrant('wrong username or password');
    }
    await issueAccessToken(provider, ctx);
  }, ['username', 'password', 'scope']);
}

// A resource server for DPoP-bound tokens (RFC 9449 §7): it wants "Authorization: DPoP", a
// proof signed by the key the token is bound to, with its own nonce (§9), the request's method
// and URL, and the token's hash. Every refusal is a 401 with WWW-Authenticate: DPoP.
const DPOP_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'];
let resourceNonce = randomBytes(16).toString('base64url');
export const RESOURCE_PATH = '/resource/dpop';

async function serveResource(req, res, issuer, provider) {
  const refuse = (error, description, headers = {}) => {
    res.writeHead(401, {
      'Content-Type': 'application/json',
      'WWW-Authenticate': `DPoP error="${error}", error_description="${description}", algs="${DPOP_ALGS.join(' ')}"`,
      ...headers,
    });
    res.end(JSON.stringify({ error, error_description: description }));
  };
  const authorization = req.headers.authorization ?? '';
  if (!authorization.startsWith('DPoP ')) return refuse('invalid_token', 'a DPoP-bound access token is required');
  const token = authorization.slice(5).trim();
  if (!req.headers.dpop) return refuse('invalid_dpop_proof', 'the request has no DPoP proof');
  let proof;
  try {
    proof = await jwtVerify(req.headers.dpop, EmbeddedJWK, { typ: 'dpop+jwt', algorithms: DPOP_ALGS });
  } catch {
    return refuse('invalid_dpop_proof', 'the DPoP proof does not verify');
  }
  const { payload, protectedHeader } = proof;
  if (payload.nonce !== resourceNonce) {
    return refuse('use_dpop_nonce', 'Resource server requires nonce in DPoP proof', { 'DPoP-Nonce': resourceNonce });
  }
  if (payload.htm !== req.method) return refuse('invalid_dpop_proof', 'DPoP proof htm mismatch');
  if (payload.htu !== `${issuer}${new URL(req.url, issuer).pathname}`) return refuse('invalid_dpop_proof', 'DPoP proof htu mismatch');
  if (payload.ath !== createHash('sha256').update(token).digest('base64url')) return refuse('invalid_dpop_proof', 'DPoP proof ath mismatch');
  const stored = (await provider.AccessToken.find(token)) ?? (await provider.ClientCredentials.find(token));
  if (!stored) return refuse('invalid_token', 'the access token is invalid, expired or revoked');
  if (stored.jkt !== (await calculateJwkThumbprint(protectedHeader.jwk))) {
    return refuse('invalid_token', 'the access token is bound to another key');
  }
  // A new nonce now and then, as servers do: the client must take the newest.
  resourceNonce = randomBytes(16).toString('base64url');
  res.writeHead(200, { 'Content-Type': 'application/json', 'DPoP-Nonce': resourceNonce });
  res.end(JSON.stringify({ resource: 'dpop', client_id: stored.clientId, sub: stored.accountId ?? null }));
}

// Rich authorization requests (RFC 9396): the two types of the RFC's examples. The policy grants
// what was asked, except account_information's read_transactions, so a test sees the server
// narrow a grant (§7). A token with authorization details needs a resource server: RAR_RESOURCE,
// the default resource of such requests.
export const RAR_RESOURCE = 'urn:workbench:e2e:rar-api';
const narrowed = (details) => details?.map((detail) => (detail.type === 'account_information' && detail.actions
  ? { ...detail, actions: detail.actions.filter((action) => action !== 'read_transactions') }
  : detail));
const askedDetails = (ctx) => (ctx.oidc.params.authorization_details
  ? JSON.parse(ctx.oidc.params.authorization_details) : undefined);
const richAuthorizationRequests = {
  enabled: true,
  types: {
    payment_initiation: {
      validate: async (_ctx, detail) => {
        if (!detail.instructedAmount?.amount || !detail.instructedAmount?.currency) {
          throw new errors.InvalidAuthorizationDetails('payment_initiation needs instructedAmount with amount and currency');
        }
      },
    },
    account_information: { validate: async () => {} },
  },
  authorizationDetailsForGrantSource: async (ctx) => narrowed(askedDetails(ctx)),
  authorizationDetailsForAccessToken: async (ctx, _token, source) => source?.rar ?? narrowed(askedDetails(ctx)),
  authorizationDetailsForIntrospection: async (_ctx, token) => token.rar,
};
const resourceIndicators = {
  enabled: true,
  defaultResource: async (ctx, _client, oneOf) => oneOf ?? (ctx.oidc.params.authorization_details ? RAR_RESOURCE : undefined),
  getResourceServerInfo: async (_ctx, indicator) => {
    if (indicator !== RAR_RESOURCE) throw new errors.InvalidTarget();
    return { scope: 'openid email', audience: RAR_RESOURCE, accessTokenFormat: 'opaque' };
  },
  useGrantedResource: async () => true,
};

// CIBA's authentication device, played by the tests: the provider keeps each backchannel
// request it triggers by its binding message; POST CIBA_DEVICE_PATH with binding_message and
// decision=approve|deny answers it as the person would (a grant of the asked scope, or
// access_denied), through the provider's own backchannelResult.
export const CIBA_DEVICE_PATH = '/test/ciba-device';
const cibaRequests = new Map();
const ciba = {
  enabled: true,
  deliveryModes: ['poll'],
  // Any login hint names an account, except "nobody": unknown_user_id, as a real server says.
  processLoginHint: async (_ctx, loginHint) => (loginHint === 'nobody' ? undefined : loginHint),
  processLoginHintToken: async () => { throw new errors.InvalidRequest('login_hint_token is not supported here'); },
  validateRequestContext: async () => {},
  verifyUserCode: async () => {},
  triggerAuthenticationDevice: async (_ctx, request) => {
    cibaRequests.set(request.params.binding_message ?? '', request.jti);
  },
};

async function answerCiba(req, res, provider) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  const id = cibaRequests.get(form.get('binding_message') ?? '');
  if (!id) {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('no such request');
    return;
  }
  cibaRequests.delete(form.get('binding_message') ?? '');
  const request = await provider.BackchannelAuthenticationRequest.find(id);
  if (form.get('decision') === 'deny') {
    await provider.backchannelResult(request, new errors.AccessDenied('the person refused on their device'));
  } else {
    const grant = new provider.Grant({ accountId: request.accountId, clientId: request.clientId });
    grant.addOIDCScope(request.scope);
    await grant.save();
    await provider.backchannelResult(request, grant);
  }
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end('answered');
}

// The demo single-page app: PKCE, state and nonce made in the browser, the code redeemed with
// fetch from the callback page, then UserInfo. ?break=verifier|redirect|twice makes it send
// another login's verifier, another redirect_uri, or the code twice: what a capture should show.
export const SPA_PATH = '/spa/';
const SPA_PAGE = `<!doctype html><meta charset="utf-8"><title>Demo SPA</title><body>Signing in…
<script type="module">
const issuer = location.origin;
const params = new URLSearchParams(location.search);
const b64u = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
  .replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const random = () => b64u(crypto.getRandomValues(new Uint8Array(32)));
const done = (text) => { document.body.textContent = text; document.body.dataset.spaDone = '1'; };
const redirectUri = issuer + '${SPA_PATH}callback';
if (location.pathname === '${SPA_PATH}') {
  const login = { verifier: random(), state: random(), nonce: random(), broken: params.get('break') || '' };
  sessionStorage.setItem('login', JSON.stringify(login));
  const challenge = b64u(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(login.verifier)));
  const auth = new URL('/auth', issuer);
  auth.search = new URLSearchParams({ response_type: 'code', client_id: 'workbench-spa',
    redirect_uri: redirectUri, scope: 'openid email', state: login.state, nonce: login.nonce,
    code_challenge: challenge, code_challenge_method: 'S256' });
  location.assign(auth);
} else {
  const login = JSON.parse(sessionStorage.getItem('login'));
  const code = params.get('code');
  if (!code || params.get('state') !== login.state) {
    done('error: ' + (params.get('error') || 'state'));
  } else {
    const redeem = (verifier, redirect) => fetch('/token', { method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirect,
        client_id: 'workbench-spa', code_verifier: verifier }) });
    const verifier = login.broken === 'verifier' ? random() : login.verifier;
    const redirect = login.broken === 'redirect' ? redirectUri + '/other' : redirectUri;
    let answer = await redeem(verifier, redirect);
    if (login.broken === 'twice') answer = await redeem(verifier, redirect);
    const tokens = await answer.json();
    if (tokens.access_token) await fetch('/me', { headers: { Authorization: 'Bearer ' + tokens.access_token } });
    done(tokens.error ? 'error: ' + tokens.error : 'signed in');
  }
}
</script>`;

// Forged JWT-secured authorization responses (JARM) for the tests to deliver to the app's
// listener, as an attacker on the machine could: POST JARM_FORGE_PATH with state, aud and
// signer=provider (the provider's own RSA key: a genuine signature for another audience) or
// signer=impostor (another key under the same kid: a bad signature). Answers the JWT.
export const JARM_FORGE_PATH = '/test/jarm-forge';
async function forgeJarm(req, res, issuer) {
  let body = '';
  for await (const chunk of req) body += chunk;
  const form = new URLSearchParams(body);
  const jwk = form.get('signer') === 'impostor' ? impostorKey : signingKeys[0];
  const key = await importJWK(jwk, 'RS256');
  const now = Math.floor(Date.now() / 1000);
  const jwt = await new SignJWT({ code: 'forged-code', state: form.get('state') ?? '' })
    .setProtectedHeader({ alg: 'RS256', kid: jwk.kid })
    .setIssuer(issuer).setAudience(form.get('aud') ?? '').setIssuedAt(now).setExpirationTime(now + 600)
    .sign(key);
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end(jwt);
}

const server = http.createServer();
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  step(`listening on port ${port}`);
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: Object.values(clients).map(({
      private_key_pem: _pem, kid: _kid, test_username: _u, test_password: _p,
      decryption_key_pem: _dpem, decryption_kid: _dkid, ...client
    }) => ({
      application_type: 'native',
      // RFC 8252 §7.3: a native client's loopback redirect URI matches on any port.
      redirect_uris: ['http://127.0.0.1/callback'],
      // RP-initiated logout's return, on any loopback port as well.
      post_logout_redirect_uris: ['http://127.0.0.1/logged-out'],
      // The RAR types each client may ask for (RFC 9396 §10).
      authorization_details_types: ['payment_initiation', 'account_information'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      ...client, // a client's own grant types and redirect URIs win
      ...(client.client_id === clients.spa.client_id ? { redirect_uris: [`${issuer}${SPA_PATH}callback`] } : {}),
    })),
    responseTypes: ['code', 'code id_token', 'id_token', 'id_token token', 'none'],
    cookies: { keys: ['workbench-e2e-cookie-key'] },
    jwks: { keys: [...signingKeys, ...encryptionKeys] },
    enabledJWA: {
      idTokenSigningAlgValues: ['RS256', 'PS256', 'ES256', 'EdDSA', 'HS256'],
      dPoPSigningAlgValues: DPOP_ALGS,
      // Beyond the defaults: ECDH-ES with AES key wrap, which the issue names.
      idTokenEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'],
      userinfoEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'],
      authorizationEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW'],
      // Request objects encrypted to the provider's keys, or with the client secret (dir, A*KW).
      requestObjectEncryptionAlgValues: ['RSA-OAEP', 'RSA-OAEP-256', 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A256KW', 'A128KW', 'A256KW', 'dir'],
    },
    features: {
      devInteractions: { enabled: true },
      introspection: { enabled: true },
      revocation: { enabled: true },
      clientCredentials: { enabled: true },
      deviceFlow: { enabled: true },
      ciba,
      richAuthorizationRequests,
      resourceIndicators,
      claimsParameter: { enabled: true },
      requestObjects: { enabled: true },
      pushedAuthorizationRequests: { enabled: true },
      // JWT-secured authorization responses (JARM): response_mode jwt, query.jwt, fragment.jwt
      // and form_post.jwt, signed RS256 unless a client asks otherwise.
      jwtResponseModes: { enabled: true },
      // JWE to clients that registered an encryption key, and UserInfo as a JWT when a client
      // asks for it (userinfo_signed_response_alg).
      encryption: { enabled: true },
      jwtUserinfo: { enabled: true },
      // Requests that carry a DPoP proof must also carry the provider's nonce (RFC 9449 §8).
      dPoP: { enabled: true, nonceSecret: randomBytes(32), requireNonce: () => true },
      // Dynamic registration (RFC 7591) behind an initial access token, and its management
      // (RFC 7592) with the registration access token rotated on every update.
      registration: { enabled: true, initialAccessToken: INITIAL_ACCESS_TOKEN },
      registrationManagement: { enabled: true, rotateRegistrationAccessToken: true },
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
  step('provider built');
  registerGrants(provider, issuer);
  provider.on('server_error', (_ctx, error) => console.error('provider server_error', error));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const path = new URL(req.url, issuer).pathname;
    if (path === SPA_PATH || path === `${SPA_PATH}callback`) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(SPA_PAGE);
    } else if (path === CIBA_DEVICE_PATH && req.method === 'POST') {
      answerCiba(req, res, provider).catch((error) => {
        console.error('ciba device error', error);
        res.writeHead(500).end();
      });
    } else if (path === JARM_FORGE_PATH && req.method === 'POST') {
      forgeJarm(req, res, issuer).catch((error) => {
        console.error('jarm forge error', error);
        res.writeHead(500).end();
      });
    } else if (path === RESOURCE_PATH) {
      serveResource(req, res, issuer, provider).catch((error) => {
        console.error('resource error', error);
        res.writeHead(500).end();
      });
    } else {
      callback(req, res);
    }
  });

  step('asking for its own discovery document');
  const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
  step('ready');
  console.log(JSON.stringify({ issuer, port, discovery, clients, dpop_resource: `${issuer}${RESOURCE_PATH}`, ciba_device: `${issuer}${CIBA_DEVICE_PATH}`, jarm_forge: `${issuer}${JARM_FORGE_PATH}`, spa: `${issuer}${SPA_PATH}`,
    initial_access_token: INITIAL_ACCESS_TOKEN }));
});

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
// Stop with the test that started us: the test closes our stdin when it ends, even if it crashes.
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
