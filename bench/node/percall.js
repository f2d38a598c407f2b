// Per-call overhead baseline for `build.ps1 Bench`: the official generic client, @alicloud/openapi-client 0.4.15,
// called exactly as the generated NLB SDK calls it (RPC, POST, formData, JSON answer, default V3 signature), making
// GetListenerAttribute calls one after another from a warm process, timed in blocks (the median block is reported,
// exactly as bench/scripts/PerCall.ps1 does for NlbTools).
// Input (environment): NLB_EMULATOR_ENDPOINT, NLB_EMULATOR_KEY_ID, NLB_EMULATOR_KEY_SECRET, BENCH_LISTENER_ID,
// BENCH_REGION_ID, BENCH_CALLS, BENCH_BLOCKS, BENCH_WARMUP. Output: one JSON line {Calls, MsPerCall, Blocks}.
'use strict';
const OpenApi = require('@alicloud/openapi-client');
const Util = require('@alicloud/tea-util');

const endpoint = new URL(process.env.NLB_EMULATOR_ENDPOINT);
const calls = parseInt(process.env.BENCH_CALLS || '300', 10);
const blocks = parseInt(process.env.BENCH_BLOCKS || '5', 10);
const warmup = parseInt(process.env.BENCH_WARMUP || '30', 10);
const listenerId = process.env.BENCH_LISTENER_ID;
const regionId = process.env.BENCH_REGION_ID;

const client = new OpenApi.default(new OpenApi.Config({
  accessKeyId: process.env.NLB_EMULATOR_KEY_ID,
  accessKeySecret: process.env.NLB_EMULATOR_KEY_SECRET,
  endpoint: endpoint.host,
  protocol: 'HTTP',
  readTimeout: 10000,
  connectTimeout: 5000,
}));
const params = new OpenApi.Params({
  action: 'GetListenerAttribute', version: '2022-04-30', protocol: 'HTTP', pathname: '/', method: 'POST',
  authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
});
const runtime = new Util.RuntimeOptions({});

async function getListener() {
  // The generated SDK builds a fresh request per call; so do we.
  const request = new OpenApi.OpenApiRequest({ query: { ListenerId: listenerId, RegionId: regionId } });
  const response = await client.callApi(params, request, runtime);
  if (response.body.ListenerId !== listenerId) throw new Error(`unexpected answer: ${JSON.stringify(response.body)}`);
}

(async () => {
  for (let i = 0; i < warmup; i++) await getListener();
  const perBlock = Math.max(1, Math.floor(calls / blocks));
  const blockMs = [];
  for (let b = 0; b < blocks; b++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < perBlock; i++) await getListener();
    blockMs.push(Number(process.hrtime.bigint() - start) / 1e6 / perBlock);
  }
  const sorted = [...blockMs].sort((a, b) => a - b);
  console.log(JSON.stringify({ Calls: perBlock * blocks, MsPerCall: sorted[Math.floor(sorted.length / 2)], Blocks: blockMs }));
})().catch(e => {
  console.error(`percall.js: ${e.code || ''} ${e.message}`);
  process.exit(1);
});
