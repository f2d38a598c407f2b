// Measures ListListeners paging over 10,000 listeners against a standalone emulator, with the official client.
// Usage: node tests/Interop/measure-paging.js out/NlbTools/emulator/NlbTools.Emulator.dll [count]
// Prints: start-up time to the JSON line, paging time, pages, and the emulator's resident memory (Linux /proc).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const OpenApi = require('@alicloud/openapi-client');
const Util = require('@alicloud/tea-util');

const dll = process.argv[2];
const count = Number(process.argv[3] || 10000);
if (!dll) { console.error('usage: node measure-paging.js <NlbTools.Emulator.dll> [count]'); process.exit(2); }

const state = {
  AccessKeys: [{ AccessKeyId: 'measure-key', AccessKeySecret: 'measure-secret' }],
  Regions: [{ RegionId: 'cn-hangzhou' }],
  LoadBalancers: [{ LoadBalancerId: 'nlb-measure', RegionId: 'cn-hangzhou', VpcId: 'vpc-1' }],
  ServerGroups: [{ ServerGroupId: 'sgp-measure', RegionId: 'cn-hangzhou', VpcId: 'vpc-1', Protocol: 'TCP_UDP' }],
  Listeners: Array.from({ length: count }, (_, i) => ({
    ListenerId: `lsn-measure${i}@${1000 + (i % 60000)}`, LoadBalancerId: 'nlb-measure', ListenerProtocol: i % 2 ? 'TCP' : 'UDP',
    ListenerPort: 1000 + (i % 60000), ServerGroupId: 'sgp-measure', ListenerDescription: `listener-${i}`, Tags: [{ Key: 'n', Value: String(i % 10) }],
  })),
};
const file = path.join(os.tmpdir(), `nlb-measure-${process.pid}.json`);
fs.writeFileSync(file, JSON.stringify(state));

function rssMiB(pid) {
  try { return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024; } catch { return NaN; }
}

(async () => {
  const started = Date.now();
  const child = spawn('dotnet', [dll, '--state', file, '--parent-pid', String(process.pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', d => { buffer += d; const nl = buffer.indexOf('\n'); if (nl >= 0) resolve(buffer.slice(0, nl)); });
    child.on('exit', code => reject(new Error(`emulator exited with ${code}`)));
  });
  const startupMs = Date.now() - started;
  const info = JSON.parse(line);
  const rssLoaded = rssMiB(child.pid);
  const client = new OpenApi.default(new OpenApi.Config({ accessKeyId: info.AccessKeyId, accessKeySecret: info.AccessKeySecret, endpoint: new URL(info.Endpoint).host, protocol: 'HTTP' }));
  const params = new OpenApi.Params({ action: 'ListListeners', version: '2022-04-30', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json' });
  const t0 = Date.now();
  const ids = new Set();
  let token, pages = 0;
  do {
    const query = { MaxResults: 100 };
    if (token) query.NextToken = token;
    const r = await client.callApi(params, new OpenApi.OpenApiRequest({ query }), new Util.RuntimeOptions({}));
    r.body.Listeners.forEach(l => ids.add(l.ListenerId));
    token = r.body.NextToken;
    pages++;
  } while (token);
  const pagingMs = Date.now() - t0;
  console.log(JSON.stringify({ listeners: ids.size, pages, startupMs, pagingMs, msPerPage: +(pagingMs / pages).toFixed(1), rssAfterLoadMiB: +rssLoaded.toFixed(1), rssAfterPagingMiB: +rssMiB(child.pid).toFixed(1) }));
  child.kill();
  fs.unlinkSync(file);
  process.exit(ids.size === count ? 0 : 1);
})().catch(e => { console.error(e); process.exit(1); });
