package dev.descent.gpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.KernelKind;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The cuBLAS device. On a machine with an NVIDIA GPU (benchmarks/gpu/check.sh) it trains against the CPU
 * engine; without one, opening it must say why in one line. The GPU half passed on an NVIDIA H200
 * (benchmarks/gpu/results/NVIDIA-H200/tests.txt: float64 within 1.5e-16 relative).
 */
class CudaDeviceTest {
    private static boolean gpu() {
        return Files.exists(Path.of("/dev/nvidia0"));
    }

    @Test
    void withoutAGpuOpeningSaysWhyInOneLine() {
        assumeFalse(gpu(), "this machine has a GPU");
        assumeFalse(System.getProperty("descent.cuda.libs", "").isBlank(), "no CUDA libraries given");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CudaDevice.open(true));
        assertTrue(e.getMessage().startsWith("no CUDA device: ") && !e.getMessage().contains("\n"), e.getMessage());
    }

    private static double maxRelative(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray y = b.castTo(DataType.DOUBLE);
        return x.sub(y).amaxNumber().doubleValue() / y.amaxNumber().doubleValue();
    }

    @ParameterizedTest(name = "{0} nY={1} {2} shuffle={3}")
    @CsvSource({"sgd,1,DOUBLE,true", "nesterov-keras,10,DOUBLE,true", "momentum-torch,1,DOUBLE,false",
            "ema,10,DOUBLE,false", "nesterov-torch,10,FLOAT,true", "sgd,1,FLOAT,false"})
    void onAGpuTrainingEqualsTheCpuEngineAfterFiveEpochs(String name, int ny, DataType t, boolean shuffle) {
        assumeTrue(gpu(), "no NVIDIA GPU (/dev/nvidia0)");
        Dataset d = new SyntheticData(20_000, 100, ny, 0.1, t, 7).generate().data();
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(256).withEpochs(5).withShuffle(shuffle);
        LinearModel zero = LinearModel.zeros(100, ny, t);
        TrainingResult gpu = new Trainer(Optimizers.create(name, new Schedule.Constant(0.01), 0.9, 0), c.withKernel(KernelKind.CUDA))
                .train(d, null, zero);
        TrainingResult again = new Trainer(Optimizers.create(name, new Schedule.Constant(0.01), 0.9, 0),
                c.withKernel(KernelKind.CUDA)).train(d, null, zero);
        TrainingResult cpu = new Trainer(Optimizers.create(name, new Schedule.Constant(0.01), 0.9, 0), c.withKernel(KernelKind.BLAS))
                .train(d, null, zero);
        double rel = maxRelative(gpu.model().stacked(), cpu.model().stacked());
        System.out.printf("%s nY=%d %s shuffle=%s: max relative |θ_gpu − θ_cpu| = %.3g%n", name, ny, t, shuffle, rel);
        assertTrue(rel <= (t == DataType.DOUBLE ? 1e-12 : 1e-4), "relative difference " + rel);
        assertArrayEquals(gpu.model().stacked().data().asDouble(), again.model().stacked().data().asDouble(),
                "the same bits run to run on one GPU");
        assertEquals(cpu.history().size(), gpu.history().size());
    }

    @ParameterizedTest(name = "batch {0} shuffle={1}")
    @CsvSource({"256,true", "256,false", "4096,true"})
    void onAGpuDataStagedBatchByBatchEqualsTheCpuEngine(int batch, boolean shuffle) {
        assumeTrue(gpu(), "no NVIDIA GPU (/dev/nvidia0)");
        Dataset d = new SyntheticData(50_000, 100, 3, 0.1, DataType.DOUBLE, 7).generate().data();
        Trainer.Config c = Trainer.Config.defaults().withBatchSize(batch).withEpochs(5).withShuffle(shuffle);
        LinearModel zero = LinearModel.zeros(100, 3, DataType.DOUBLE);
        TrainingResult staged = new Trainer(Optimizers.create("nesterov-keras", new Schedule.Constant(0.01), 0.9, 0),
                c.withKernel(KernelKind.CUDA), t -> new SmallDevice(Devices.cuda(t), 1 << 20)).train(d, null, zero);
        TrainingResult cpu = new Trainer(Optimizers.create("nesterov-keras", new Schedule.Constant(0.01), 0.9, 0),
                c.withKernel(KernelKind.BLAS)).train(d, null, zero);
        double rel = maxRelative(staged.model().stacked(), cpu.model().stacked());
        System.out.printf("staged batch %d shuffle=%s: max relative |θ_gpu − θ_cpu| = %.3g%n", batch, shuffle, rel);
        assertTrue(rel <= 1e-12, "relative difference " + rel);
    }
}
