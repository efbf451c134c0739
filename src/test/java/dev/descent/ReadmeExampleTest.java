package dev.descent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The README's Java example, verbatim between the markers, so it compiles and runs. */
class ReadmeExampleTest extends SeededTest {

    @Test
    void readmeExampleTrainsToTheNoiseFloor() {
        // README-BEGIN
        var gen = new dev.descent.data.SyntheticData(100_000, 20, 1, 0.1, org.nd4j.linalg.api.buffer.DataType.FLOAT, 42).generate();
        var split = gen.data().splitTail(0.2);                       // 80,000 train, 20,000 test rows
        var optimizer = new dev.descent.optim.NesterovKeras(new dev.descent.optim.Schedule.Constant(0.01), 0.9);
        var config = dev.descent.engine.Trainer.Config.defaults().withBatchSize(256).withEpochs(5);
        var initial = dev.descent.model.LinearModel.zeros(20, 1, org.nd4j.linalg.api.buffer.DataType.FLOAT);
        var result = new dev.descent.engine.Trainer(optimizer, config).train(split.train(), split.test(), initial);
        var model = result.model();                                   // W: 20×1, B: 1 (copies)
        System.out.printf("test MSE %.5f after %d epochs, %.0f samples/s%n",
                model.mse(split.test().x(), split.test().y()), result.history().size(), result.last().samplesPerSecond());
        // README-END
        assertEquals(0.01, model.mse(split.test().x(), split.test().y()), 0.001); // noise variance 0.1²
    }
}
