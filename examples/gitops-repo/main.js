#!/usr/bin/env node
// @ts-check
// The cdk8s app of this GitOps repository (cdk8s.yaml: `app: node main.js`). `npx cdk8s synth`
// writes dist/<chart>.k8s.yaml, which Argo CD syncs (argocd/application.yaml). Slipway services
// come from the specs in services/; your own constructs sit next to them.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const { App, Chart, ApiObject } = require('cdk8s');
const { SlipwayService, loadSpecFile } = require('slipway');

const NAMESPACE = 'shop';
const app = new App(); // writes to $CDK8S_OUTDIR (set by `cdk8s synth`), else dist/

// Your own constructs: here the namespace, enforcing the restricted Pod Security profile that
// every Slipway pod meets.
const platform = new Chart(app, 'platform', { disableResourceNameHashes: true });
new ApiObject(platform, 'namespace', {
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name: NAMESPACE, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
});

// One chart (one file in dist/) per service. loadSpecFile validates each spec as `slipway validate`
// does and stops with `file:line:column: field: message` on a mistake.
const services = join(__dirname, 'services');
for (const file of readdirSync(services).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  for (const svc of loadSpecFile(join(services, file))) {
    const chart = new Chart(app, svc.model.fullname, { namespace: NAMESPACE, disableResourceNameHashes: true });
    const service = new SlipwayService(chart, 'service', svc.spec);
    // Escape hatch on the rendered Deployment, e.g. an annotation your platform needs:
    service.workload?.metadata.addAnnotation('example.com/team', 'shop');
  }
}

app.synth();
