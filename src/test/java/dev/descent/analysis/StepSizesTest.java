package dev.descent.analysis;

import static dev.descent.Tolerances.ROUNDING_F64;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.descent.SeededTest;
import org.junit.jupiter.api.Test;

/** The step sizes for Γ = {5, 1} worked out by hand. */
class StepSizesTest extends SeededTest {

    @Test
    void gammaFiveAndOne() {
        StepSizes s = StepSizes.of(5, 1);
        assertEquals(5.0, s.condition(), 0.0);
        assertEquals(1.0 / 5, s.monotoneBound(), ROUNDING_F64);   // the seed's λc = 1/max Γ
        assertEquals(2.0 / 5, s.stabilityBound(), ROUNDING_F64);  // GD diverges above 2/max Γ
        assertEquals(2.0 / 6, s.bestGdStep(), ROUNDING_F64);      // 2/(5+1)
        double r5 = Math.sqrt(5);
        assertEquals(4 / ((r5 + 1) * (r5 + 1)), s.heavyBallRate(), ROUNDING_F64);
        assertEquals(Math.pow((r5 - 1) / (r5 + 1), 2), s.heavyBallMomentum(), ROUNDING_F64);
        // 4/(√5+1)² = 0.381966..., ((√5−1)/(√5+1))² = 0.145898...
        assertEquals(0.3819660112501051, s.heavyBallRate(), 1e-15);
        assertEquals(0.14589803375031543, s.heavyBallMomentum(), 1e-15);
    }
}
