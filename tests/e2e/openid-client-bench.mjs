// The openid-client baseline of bench_token_exchange: the same client credentials request to the
// same provider, timed per request. Benchmark use only.
//   node openid-client-bench.mjs ISSUER CLIENT_ID CLIENT_SECRET RUNS
import * as client from 'openid-client';

const [issuer, clientId, clientSecret, runs] = process.argv.slice(2);
const config = await client.discovery(new URL(issuer), clientId, undefined,
  client.ClientSecretBasic(clientSecret), { execute: [client.allowInsecureRequests] });
const times = [];
for (let i = 0; i < Number(runs) + 3; i++) {
  const start = performance.now();
  const tokens = await client.clientCredentialsGrant(config);
  if (!tokens.access_token) throw new Error('no access token');
  if (i >= 3) times.push(performance.now() - start); // the first three warm up
}
times.sort((a, b) => a - b);
console.log(JSON.stringify({ median_ms: times[Math.floor(times.length / 2)], runs: times.length }));
