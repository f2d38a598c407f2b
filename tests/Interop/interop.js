// Drives NlbTools.Emulator with the official generic Alibaba Cloud client, @alicloud/openapi-client 0.4.15,
// exactly as the generated NLB SDK calls it (RPC, POST, formData body, JSON answer), with the default V3
// signature (ACS3-HMAC-SHA256) and with signatureAlgorithm 'v2' (HMAC-SHA1).
// Input (environment): NLB_EMULATOR_ENDPOINT (http://127.0.0.1:PORT), NLB_EMULATOR_KEY_ID, NLB_EMULATOR_KEY_SECRET.
// Output: one line per check ("PASS name" / "FAIL name: why"), then "SUMMARY passed=N failed=N"; exit code 1 on any failure.
'use strict';
const OpenApi = require('@alicloud/openapi-client');
const Util = require('@alicloud/tea-util');

const Client = OpenApi.default;
const endpoint = new URL(process.env.NLB_EMULATOR_ENDPOINT);
const keyId = process.env.NLB_EMULATOR_KEY_ID;
const keySecret = process.env.NLB_EMULATOR_KEY_SECRET;
// The built-in demo state's STS key (DemoState.cs); used only when the caller says the demo state runs.
const sts = process.env.NLB_EMULATOR_STS === '1'
  ? { id: 'STS.NlbEmulatorDemo', secret: 'NlbEmulatorStsSecret00000000000', token: 'NlbEmulatorDemoSecurityToken' }
  : null;

function client(signature, credentials) {
  const config = new OpenApi.Config({
    accessKeyId: credentials.id,
    accessKeySecret: credentials.secret,
    securityToken: credentials.token,
    endpoint: endpoint.host,
    protocol: 'HTTP',
    readTimeout: 10000,
    connectTimeout: 5000,
  });
  if (signature === 'v2') config.signatureAlgorithm = 'v2';
  return new Client(config);
}

// The generated NLB SDK's call parameters (reference/nlb-api.md §1.1).
function params(action) {
  return new OpenApi.Params({
    action, version: '2022-04-30', protocol: 'HTTP', pathname: '/', method: 'POST',
    authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
  });
}

async function call(c, action, { query, body, headers } = {}) {
  const request = new OpenApi.OpenApiRequest({ query: query || {}, body: body || {}, headers: headers || {} });
  const response = await c.callApi(params(action), request, new Util.RuntimeOptions({}));
  return response.body;
}

async function expectError(promise, code) {
  try {
    await promise;
  } catch (e) {
    if (e.code === code) return e;
    throw new Error(`expected ${code}, got ${e.code}: ${e.message}`);
  }
  throw new Error(`expected ${code}, the call succeeded`);
}

function assert(condition, message) { if (!condition) throw new Error(message); }

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function waitForJob(c, jobId) {
  for (let i = 0; i < 100; i++) {
    const status = await call(c, 'GetJobStatus', { query: { JobId: jobId } });
    if (status.Status === 'Succeeded') return;
    await sleep(100);
  }
  throw new Error(`job ${jobId} did not succeed`);
}

const checks = [];
function check(name, fn) { checks.push({ name, fn }); }

for (const signature of ['v3', 'v2']) {
  const c = client(signature, { id: keyId, secret: keySecret });
  const nonce = `interop-nonce-${signature}-${Date.now()}`;

  check(`${signature}: DescribeRegions`, async () => {
    const body = await call(c, 'DescribeRegions', { query: { ServiceCode: 'nlb' } });
    assert(body.RequestId, 'no RequestId');
    assert(body.Regions.some(r => r.RegionId === 'cn-hangzhou'), 'cn-hangzhou missing');
  });

  check(`${signature}: ListListeners pages with NextToken and filters`, async () => {
    const seen = [];
    let token;
    do {
      const query = { RegionId: 'cn-hangzhou', MaxResults: 3 };
      if (token) query.NextToken = token;
      const body = await call(c, 'ListListeners', { query });
      seen.push(...body.Listeners.map(l => l.ListenerId));
      token = body.NextToken;
    } while (token);
    assert(seen.length >= 9 && new Set(seen).size === seen.length, `paging returned ${seen.length} listeners`);
    const tcp = await call(c, 'ListListeners', { query: { ListenerProtocol: 'TCPSSL', 'Tag.1.Key': 'env', 'Tag.1.Value': 'prod' } });
    assert(tcp.Listeners.length > 0 && tcp.Listeners.every(l => l.ListenerProtocol === 'TCPSSL'), 'protocol/tag filter');
  });

  check(`${signature}: UpdateListenerAttribute with CertificateIds and ProxyProtocolV2Config`, async () => {
    const listenerId = signature === 'v3' ? 'lsn-hzweb01@443' : 'lsn-hzweb01@8443';
    const description = `interop-${signature}`;
    // The SDK sends ProxyProtocolV2Config as one JSON string field (its "shrink" request).
    const body = await call(c, 'UpdateListenerAttribute', {
      body: {
        RegionId: 'cn-hangzhou', ListenerId: listenerId, ListenerDescription: description,
        CertificateIds: ['12315791-cn-hangzhou'], IdleTimeout: 120, ProxyProtocolEnabled: true,
        ProxyProtocolV2Config: JSON.stringify({ Ppv2VpcIdEnabled: true, Ppv2PrivateLinkEpIdEnabled: false }),
        ClientToken: `interop-${signature}-${Date.now()}`,
      },
    });
    assert(body.JobId, 'no JobId');
    await waitForJob(c, body.JobId);
    const l = await call(c, 'GetListenerAttribute', { query: { RegionId: 'cn-hangzhou', ListenerId: listenerId } });
    assert(l.ListenerStatus === 'Running', `status ${l.ListenerStatus}`);
    assert(l.ListenerDescription === description, `description ${l.ListenerDescription}`);
    assert(l.CertificateIds.length === 1 && l.CertificateIds[0] === '12315791-cn-hangzhou', `certificates ${l.CertificateIds}`);
    assert(l.IdleTimeout === 120 && l.ProxyProtocolEnabled === true, 'IdleTimeout/ProxyProtocolEnabled');
    assert(l.ProxyProtocolV2Config.Ppv2VpcIdEnabled === true, 'Ppv2VpcIdEnabled');
  });

  check(`${signature}: a rule violation comes back with its code`, async () => {
    const e = await expectError(call(c, 'UpdateListenerAttribute', { body: { ListenerId: 'lsn-hzweb01@53', IdleTimeout: 900 } }), 'IllegalParam.IdleTimeout');
    assert(e.statusCode === 400, `status ${e.statusCode}`);
  });

  check(`${signature}: a wrong secret gets SignatureDoesNotMatch`, async () => {
    const bad = client(signature, { id: keyId, secret: keySecret + 'x' });
    const e = await expectError(call(bad, 'DescribeRegions'), 'SignatureDoesNotMatch');
    assert(/string to sign/.test(e.message), 'message lacks the server string-to-sign');
  });

  check(`${signature}: a replayed nonce gets SignatureNonceUsed`, async () => {
    const fixed = signature === 'v3' ? { headers: { 'x-acs-signature-nonce': nonce } } : { query: { SignatureNonce: nonce } };
    await call(c, 'DescribeRegions', fixed);
    await expectError(call(c, 'DescribeRegions', fixed), 'SignatureNonceUsed');
  });

  if (sts) {
    check(`${signature}: STS credentials with a security token`, async () => {
      const body = await call(client(signature, sts), 'ListSystemSecurityPolicy', { body: { RegionId: 'cn-hangzhou' } });
      assert(body.SecurityPolicies.length > 0, 'no system policies');
    });
  }
}

(async () => {
  let passed = 0, failed = 0;
  for (const { name, fn } of checks) {
    try { await fn(); passed++; console.log(`PASS ${name}`); }
    catch (e) { failed++; console.log(`FAIL ${name}: ${e.message}`); }
  }
  console.log(`SUMMARY passed=${passed} failed=${failed}`);
  process.exit(failed === 0 && passed > 0 ? 0 : 1);
})();
