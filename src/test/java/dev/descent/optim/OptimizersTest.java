package dev.descent.optim;

import org.junit.jupiter.api.Nested;

/** Every optimizer against the contract, with its hand-checked sequence. */
class OptimizersTest {

    @Nested
    class SgdTest extends OptimizerContract {
        Optimizer create() {
            return new Sgd(LR);
        }

        // θ ← θ − 0.1·g
        double[][] expected() {
            return new double[][] {{0.95, -2.1}, {1.05, -2.3}, {1.025, -2.25}};
        }
    }

    @Nested
    class EmaTest extends OptimizerContract {
        Optimizer create() {
            return new EmaMomentum(new Schedule.Constant(LR), MU);
        }

        // m₁ = (.25, .5), θ₁ = (.975, −2.05); m₂ = (−.375, 1.25), θ₂ = (1.0125, −2.175);
        // m₃ = (−.0625, .375), θ₃ = (1.01875, −2.2125)
        double[][] expected() {
            return new double[][] {{0.975, -2.05}, {1.0125, -2.175}, {1.01875, -2.2125}};
        }
    }

    @Nested
    class HeavyBallKerasTest extends OptimizerContract {
        Optimizer create() {
            return new HeavyBallKeras(new Schedule.Constant(LR), MU);
        }

        // v₁ = (−.05, −.1); v₂ = (.075, −.25); v₃ = (.0125, −.075); θ ← θ + v
        double[][] expected() {
            return new double[][] {{0.95, -2.1}, {1.025, -2.35}, {1.0375, -2.425}};
        }
    }

    @Nested
    class HeavyBallTorchTest extends OptimizerContract {
        Optimizer create() {
            return new HeavyBallTorch(new Schedule.Constant(LR), MU, TAU);
        }

        // b₁ = g₁ = (.5, 1); b₂ = .5·b₁ + .75·g₂ = (−.5, 2); b₃ = (−.0625, .625); θ ← θ − .1·b
        double[][] expected() {
            return new double[][] {{0.95, -2.1}, {1.0, -2.3}, {1.00625, -2.3625}};
        }
    }

    @Nested
    class NesterovKerasTest extends OptimizerContract {
        Optimizer create() {
            return new NesterovKeras(new Schedule.Constant(LR), MU);
        }

        // DL4J form θ ← θ − μ·v_old + (1+μ)·v with v as in the Keras heavy ball:
        // θ₁ = θ₀ + 1.5·(−.05, −.1) = (.925, −2.15); θ₂ = θ₁ − .5·v₁ + 1.5·v₂ = (1.0625, −2.475);
        // θ₃ = θ₂ − .5·v₂ + 1.5·v₃ = (1.04375, −2.4625)
        double[][] expected() {
            return new double[][] {{0.925, -2.15}, {1.0625, -2.475}, {1.04375, -2.4625}};
        }
    }

    @Nested
    class NesterovTorchTest extends OptimizerContract {
        Optimizer create() {
            return new NesterovTorch(new Schedule.Constant(LR), MU, TAU);
        }

        // b as in the PyTorch heavy ball; θ ← θ − .1·(g + .5·b):
        // θ₁ = (.925, −2.15); θ₂ = (1.05, −2.45); θ₃ = (1.028125, −2.43125)
        double[][] expected() {
            return new double[][] {{0.925, -2.15}, {1.05, -2.45}, {1.028125, -2.43125}};
        }
    }
}
