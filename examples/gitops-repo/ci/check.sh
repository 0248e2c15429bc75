#!/bin/sh
# CI of the GitOps repository (`npm run ci`, e.g. on every pull request):
# 1. the specs validate (errors and policy warnings fail the build),
# 2. `slipway diff` shows what the pull request changes in dist/ (for the reviewer),
# 3. `npm run synth` renders dist/ atomically, and the committed dist/ must be exactly that:
#    a pull request that changes a spec must commit the re-rendered output.
set -eu
cd "$(dirname "$0")/.."
export CDK8S_CHECK_UPGRADE=false
npx slipway validate --strict services
npx slipway diff services -o dist || true   # exit 1 = dist/ would change; shown, judged below
npm run synth
npx slipway diff services -o dist            # exit 0: dist/ is what the specs render
git diff --exit-code -- dist                 # and it is committed as rendered
