#!/usr/bin/env bash
# Redoes the seed articles' experiments (docs/seeds.md) and writes their figures into docs/seeds/.
# Runs from the repository root: bash docs/seeds/run.sh   (a few seconds each; ./descent builds first)
set -euo pipefail
cd "$(dirname "$0")/../.."
out="$(mktemp -d)"
fig=docs/seeds
./descent --version >/dev/null

echo "== 000: the moving average of a noisy gradient"
./descent figure ema --out "$out/ema"
cp "$out/ema/ema.png" "$fig/000-ema.png"

echo "== 000: step-size limits with one output and with two (N = 100, nX = 3, X ~ N(0, 1))"
./descent analyze --rows 125 --nx 3 --ny 1 | grep -E 'λmax|GD \(sgd'
./descent analyze --rows 125 --nx 3 --ny 2 | grep -E 'λmax|GD \(sgd'
echo "== 000: full-batch GD between 1/λmax and 2/λmax converges, above 2/λmax it diverges (nY = 2)"
./descent train --rows 125 --nx 3 --ny 2 --batch-size 0 --no-shuffle --lr 1.2 --epochs 200 --no-plots --out "$out/gd12" \
  | grep -E 'final train MSE'
./descent train --rows 125 --nx 3 --ny 2 --batch-size 0 --no-shuffle --lr 1.7 --epochs 200 --no-plots --out "$out/gd17" 2>&1 \
  | grep -E 'diverged' || true

echo "== 000: the (λ, β) map"
./descent sweep --rows 125 --nx 3 --ny 2 --noise 0.01 --batch-size 10 --epochs 10 --drop-last \
    --lr log:0.01:10:31 --momentum 0:0.95:20 --out "$out/sweep" | grep -E 'optimum|stability'
cp "$out/sweep/sweep.png" "$fig/000-sweep.png"

echo "== 003: make_regression(n_samples=100, n_features=1, noise=5, random_state=2), from slope -10, intercept 9"
./descent generate --kind make-regression --n-samples 100 --n-features 1 --n-informative 1 --noise 5 --random-state 2 \
    --out "$out/d003.npz"
./descent train --data "$out/d003.npz" --init-w -10 --init-b 9 --batch-size 32 --lr 0.1 --epochs 10 --dtype float64 \
    --out "$out/t003" | grep -E '^W|^B|final train MSE'
cp "$out/t003/params.png" "$fig/003-params.png"
cp "$out/t003/surface.png" "$fig/003-surface.png"
./descent surface --data "$out/d003.npz" --init-w -10 --init-b 9 --batch-size 32 --epochs 10 --lr 0.01,0.1,0.5,0.9 \
    --w-range -100:200 --b-range -10:10 --out "$out/s003" | grep -E '^lr'
cp "$out/s003/surface.png" "$fig/003-learning-rates.png"

echo "== 004: job durations, min-max scaled, from θ = [-1, 1], stopping on the sum of squares after every step"
./descent train --data examples/job-duration.csv --target duration --scale-x minmax --scale-y minmax --test-fraction 0 \
    --batch-size 0 --no-shuffle --init-w 1 --init-b -1 --lr 0.5 --tol 1e-6 --tol-every step --tol-loss sum \
    --epochs 100000 --dtype float64 --no-plots --out "$out/full004" | grep -E 'converged|final train MSE'
./descent train --data examples/job-duration.csv --target duration --scale-x minmax --scale-y minmax --test-fraction 0 \
    --batch-size 1 --no-shuffle --init-w 1 --init-b -1 --lr 0.01 --tol 1e-6 --tol-every step --tol-loss sum \
    --epochs 200 --dtype float64 --no-plots --out "$out/sgd004" | grep -E 'converged|final train MSE'
./descent train --data examples/job-duration.csv --target duration --scale-x minmax --scale-y minmax --test-fraction 0 \
    --batch-size 1 --no-shuffle --init-w 1 --init-b -1 --lr 0.01 --epochs 200 --dtype float64 --no-plots \
    --out "$out/sgd004b" | grep -E 'final train MSE'
rm -rf "$out"
