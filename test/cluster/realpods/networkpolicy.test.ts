/**
 * The NetworkPolicies of Slipway charts enforced by a real policy engine: kube-router's firewall
 * (built from its Go module, `bootstrap-tools.sh kube-router`) runs in the node's namespace for
 * this file only. Specs: test/fixture/specs/netpol.yaml. Releases in one `restricted` namespace:
 * `srv` (np-server: ingress only from np-client pods, only on http), `cli` (np-client: egress only
 * to np-server pods on 8080, and DNS), `open` (np-server with its NetworkPolicy switched off).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runOk } from '../support/run';
import { NODE_IP } from '../realnode/config';
import { policyEngineUnavailable, readPlan } from '../realnode/node';
import { useRealNode } from '../realnode/use';
import { buildFixture, buildTestImage, fixtureImageValues, synthSpec, testImageUnavailable, type Fixture } from './fixture-image';
import { cluster, k, realNamespace, realNode, skipReason, until } from './support';

const NS = 'realpods-netpol';
/** Why this file cannot run: it needs the local node (kind brings its own CNI, maybe without policies), kube-router and DNS. */
const npSkip = skipReason ?? (!realNode.planDir ? 'NetworkPolicy enforcement is only set up on the local node' : policyEngineUnavailable())
  ?? (!readPlan(realNode.planDir!).dnsToken ? 'CoreDNS not built (scripts/bootstrap-tools.sh coredns)' : undefined) ?? testImageUnavailable();
if (npSkip && !skipReason) console.warn(`SKIPPED real-pod NetworkPolicy tests: ${npSkip}`);

describe.skipIf(!!npSkip)('real pods: NetworkPolicies enforced by kube-router', () => {
  const local = useRealNode({ networkPolicy: true });
  let fx: Fixture;
  let testImage = '';
  const times: Record<string, number> = {};
  const pod = (instance: string): any => JSON.parse(k(['-n', NS, 'get', 'pods', '-l', `app.kubernetes.io/instance=${instance}`, '-o', 'json']).stdout)
    .items.find((p: any) => !p.metadata.deletionTimestamp);
  /** GET from a pod of `from` (one attempt, 3 s timeout): whether it got a 2xx. */
  const reach = (from: string, url: string) => k(['-n', NS, 'exec', pod(from).metadata.name, '--', '/usr/local/bin/fixture', 'get', url, '1'], { allowFail: true }).code === 0;
  /** Enforcement is asynchronous: poll until the expected outcome, then it must hold twice more. */
  const expectReach = async (from: string, url: string, ok: boolean) => {
    await until(`${from} -> ${url} ${ok ? 'passes' : 'is refused'}`, 45_000, () => reach(from, url) === ok);
    expect(reach(from, url), `${from} -> ${url}`).toBe(ok);
    expect(reach(from, url), `${from} -> ${url}`).toBe(ok);
  };

  beforeAll(async () => {
    fx = await buildFixture(local.node?.containerdSocket);
    testImage = await buildTestImage(fx, local.node?.containerdSocket);
    realNamespace(NS, 'restricted');
  }, 240_000);

  afterAll(() => {
    console.log(`[realpods] networkpolicy timings (ms): ${JSON.stringify(times)}`);
    if (fx) fs.rmSync(fx.work, { recursive: true, force: true });
    k(['delete', 'namespace', NS, '--wait=false'], { allowFail: true });
  });

  it('installs np-server, np-client and an unprotected np-server; all Ready (kubelet probes pass the policies)', async () => {
    const t = Date.now();
    const charts = { server: await synthSpec(fx, 'netpol', 'np-server'), client: await synthSpec(fx, 'netpol', 'np-client') };
    // The node's CoreDNS is not a kube-system pod labelled k8s-app=kube-dns (what the charts' DNS
    // rule admits) but a process on the node address: the DNS rule is extended to it through the
    // chart's own networkPolicy.egress value, as for a node-local DNS cache.
    const egressWithNodeDns = (chart: string) => {
      const egress = parse(fs.readFileSync(path.join(chart, 'values.yaml'), 'utf8')).networkPolicy.egress;
      return ['--set-json', `networkPolicy.egress=${JSON.stringify([...egress, {
        to: [{ ipBlock: { cidr: `${NODE_IP}/32` } }], ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
      }])}`];
    };
    const install = (release: string, chart: string, extra: string[]) => runOk('helm3', ['install', release, chart,
      `--kubeconfig=${cluster.kubeconfig}`, '-n', NS, '--wait', '--timeout', '120s', ...fixtureImageValues(fx), '--set', 'replicaCount=1', ...extra]);
    await Promise.all([
      install('srv', charts.server, [...egressWithNodeDns(charts.server), '--set', `tests.image=${testImage}`]),
      install('cli', charts.client, egressWithNodeDns(charts.client)),
      install('open', charts.server, ['--set', 'networkPolicy.enabled=false']),
    ]);
    times['3 releases installed'] = Date.now() - t;
    expect(k(['-n', NS, 'get', 'networkpolicy', '-o', 'name']).stdout.trim().split('\n').sort())
      .toEqual(['networkpolicy.networking.k8s.io/cli-np-client', 'networkpolicy.networking.k8s.io/srv-np-server']);
  });

  it('declared ingress and egress pass: np-client reaches np-server\'s http port by Service name (DNS works)', async () => {
    const t = Date.now();
    await expectReach('cli', `http://srv-np-server.${NS}.svc.cluster.local:8080/`, true);
    times['first allowed request'] = Date.now() - t;
    // Egress to any np-server pod on 8080 (the unprotected one: only the client's egress decides).
    await expectReach('cli', `http://${pod('open').status.podIP}:8080/`, true);
  });

  it('everything else is refused: undeclared port (egress and ingress), undeclared peer (ingress)', async () => {
    const t = Date.now();
    // Ingress: np-server admits only np-client; `open` is an np-server pod without a policy of its own.
    await expectReach('open', `http://${pod('srv').status.podIP}:8080/`, false);
    times['first refused request'] = Date.now() - t;
    // Egress: np-client may reach np-server on 8080 only; `open` itself admits everything.
    await expectReach('cli', `http://${pod('open').status.podIP}:9090/`, false);
    // Ingress by port: np-server admits np-client on http only.
    await expectReach('cli', `http://${pod('srv').status.podIP}:9090/`, false);
    // The same requests from the unprotected pod to the unprotected pod pass: the engine refused, not the network.
    await expectReach('open', `http://${pod('open').status.podIP}:9090/`, true);
  });

  it('helm test passes under enforcement: the chart\'s test-hook NetworkPolicy admits its test Pod', async () => {
    const t = Date.now();
    const r = await runOk('helm3', ['test', 'srv', `--kubeconfig=${cluster.kubeconfig}`, '-n', NS, '--timeout', '180s']);
    times['helm test'] = Date.now() - t;
    expect(r.stdout).toMatch(/srv-np-server-test-connection[\s\S]*Phase:\s+Succeeded/);
    // Both hooks are gone (hook-succeeded): only the two release policies remain.
    await until('test hooks deleted', 30_000, () => k(['-n', NS, 'get', 'networkpolicy', '-o', 'name']).stdout.trim().split('\n').length === 2);
  });
});
