package dev.descent;

import org.junit.jupiter.api.BeforeEach;
import org.nd4j.linalg.factory.Nd4j;

/** Base class for tests: ND4J's global RNG seeded before every test. */
public abstract class SeededTest {
    protected static final long SEED = 20261123L;

    @BeforeEach
    void seedNd4j() {
        Nd4j.getRandom().setSeed(SEED);
    }
}
