// Starts a real, certified OpenID provider (oidc-provider) on 127.0.0.1 with an ephemeral port
// for the end-to-end tests, and prints one JSON line describing it. Test use only.
import http from 'node:http';
import Provider from 'oidc-provider';

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
};

const server = http.createServer();
server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: Object.values(clients).map((client) => ({
      ...client,
      application_type: 'native',
      // RFC 8252 §7.3: a native client's loopback redirect URI matches on any port.
      redirect_uris: ['http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    cookies: { keys: ['workbench-e2e-cookie-key'] },
    features: { devInteractions: { enabled: true } },
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
