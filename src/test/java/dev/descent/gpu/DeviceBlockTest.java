package dev.descent.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.SyntheticData;
import dev.descent.engine.Checkpoint;
import dev.descent.engine.KernelKind;
import dev.descent.engine.StopReason;
import dev.descent.engine.Trainer;
import dev.descent.engine.TrainingResult;
import dev.descent.model.LinearModel;
import dev.descent.optim.Optimizer;
import dev.descent.optim.Optimizers;
import dev.descent.optim.Schedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GPU training path ({@link DeviceBlock}) on the CPU stand-in ({@link HostDevice}): the same calls a
 * GPU gets, each argument checked, the results against the CPU engine's. What this cannot show is cuBLAS's
 * own arithmetic: that needs a GPU (benchmarks/gpu/check.sh).
 */
class DeviceBlockTest extends SeededTest {

    private static Dataset data(DataType t, int ny) {
        return new SyntheticData(1000, 7, ny, 0.1, t, 5).generate().data(); // 1000 = 31 batches of 32 + 8
    }

    private static Trainer.Config config(boolean shuffle) {
        return Trainer.Config.defaults().withBatchSize(32).withEpochs(5).withShuffle(shuffle);
    }

    private static Optimizer optimizer(String name, double lr) {
        return Optimizers.create(name, new Schedule.InverseTime(lr, 0.01), 0.9, 0.0);
    }

    /** Trains on the stand-in, recording into {@code devices}. */
    private static TrainingResult onDevice(Optimizer o, Trainer.Config c, Dataset d, List<HostDevice> devices) {
        return new Trainer(o, c.withKernel(KernelKind.CUDA), t -> {
            HostDevice h = new HostDevice(t == DataType.DOUBLE);
            devices.add(h);
            return h;
        }).train(d, null, LinearModel.zeros(d.inputs(), d.outputs(), d.dataType()));
    }

    private static TrainingResult onCpu(Optimizer o, Trainer.Config c, Dataset d) {
        return new Trainer(o, c.withKernel(KernelKind.BLAS)).train(d, null, LinearModel.zeros(d.inputs(), d.outputs(), d.dataType()));
    }

    private static double maxRelative(INDArray a, INDArray b) {
        INDArray x = a.castTo(DataType.DOUBLE);
        INDArray y = b.castTo(DataType.DOUBLE);
        double scale = Math.max(y.amaxNumber().doubleValue(), Double.MIN_NORMAL);
        return x.sub(y).amaxNumber().doubleValue() / scale;
    }

    static Stream<Arguments> cells() {
        List<Arguments> a = new ArrayList<>();
        for (String name : Optimizers.NAMES) {
            for (int ny : new int[] {1, 3}) {
                for (boolean shuffle : new boolean[] {true, false}) {
                    a.add(Arguments.of(name, ny, shuffle));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} nY={1} shuffle={2}")
    @MethodSource("cells")
    void float64EqualsTheCpuEngineAfterFiveEpochs(String name, int ny, boolean shuffle) {
        Dataset d = data(DataType.DOUBLE, ny);
        List<HostDevice> devs = new ArrayList<>();
        TrainingResult gpu = onDevice(optimizer(name, 0.02), config(shuffle), d, devs);
        TrainingResult cpu = onCpu(optimizer(name, 0.02), config(shuffle), d);
        assertEquals(StopReason.EPOCHS, gpu.stop());
        assertEquals(5, gpu.history().size());
        double dTheta = maxRelative(gpu.model().stacked(), cpu.model().stacked());
        assertTrue(dTheta <= 1e-12, name + ": θ differs from the CPU engine's by " + dTheta + " (relative)");
        for (int e = 0; e < 5; e++) {
            double g = gpu.history().get(e).trainLoss();
            double c = cpu.history().get(e).trainLoss();
            assertEquals(c, g, 1e-12 * c, "epoch " + (e + 1) + " loss");
        }
        assertTrue(devs.get(0).closed(), "the trainer closes the device");
    }

    @Test
    void float32AgreesWithTheCpuEngineWithinItsRounding() {
        Dataset d = data(DataType.FLOAT, 3);
        TrainingResult gpu = onDevice(optimizer("nesterov-keras", 0.02), config(true), d, new ArrayList<>());
        TrainingResult cpu = onCpu(optimizer("nesterov-keras", 0.02), config(true), d);
        double dTheta = maxRelative(gpu.model().stacked(), cpu.model().stacked());
        // float32's unit roundoff is 6e-8; 5 epochs of 32 steps each accumulate a few hundred of them at most
        assertTrue(dTheta <= 1e-5, "θ differs by " + dTheta + " (relative)");
        assertTrue(dTheta > 0 || gpu.model().stacked().equals(cpu.model().stacked()));
    }

    @Test
    void aStepIsTheCpuKernelsCallsAndTheRuleAndNothingComesBackUntilTheEpochEnds() {
        Dataset d = data(DataType.DOUBLE, 1);
        List<HostDevice> devs = new ArrayList<>();
        onDevice(optimizer("momentum-torch", 0.02), config(true).withEpochs(2), d, devs);
        List<String> calls = devs.get(0).calls;
        int first = calls.indexOf("gather");
        // the CPU kernel's six calls for nY = 1 (gemv, ger, axpy, dot, gemv, gemv) after the gather of X and Y,
        // then PyTorch's heavy ball: b ← μb + g (b₁ = g: copy), θ ← θ − lr·b
        assertEquals(List.of("gather", "gather", "gemv", "ger", "axpy", "dot", "gemv", "gemv", "copy", "axpy"),
                calls.subList(first, first + 10));
        assertEquals(List.of("gather", "gather", "gemv", "ger", "axpy", "dot", "gemv", "gemv", "scal", "axpy", "axpy"),
                calls.subList(first + 10, first + 21));
        // per epoch: the order goes up once; the losses, θ and the momentum buffer come back once
        HostDevice h = devs.get(0);
        assertEquals(2 * 3, h.downloads);
        long ordersUp = calls.stream().filter("upload"::equals).count() - 4; // X, Y, the ones, θ
        assertEquals(2, ordersUp);
        long steps = calls.stream().filter("dot"::equals).count();
        assertEquals(2 * 32, steps);
    }

    /**
     * Data larger than the device's free memory stays on the host: each batch is gathered there and staged
     * (a second stream, double-buffered). The same results as the CPU engine; batch 700 (39 KB of X) runs the
     * host gather's prefetch on its helper thread.
     */
    @ParameterizedTest(name = "batch {0} shuffle={1}")
    @org.junit.jupiter.params.provider.CsvSource({"32,true", "32,false", "700,true"})
    void dataLargerThanTheDeviceIsStagedBatchByBatchWithTheSameResults(int batch, boolean shuffle) {
        Dataset d = new SyntheticData(3000, 7, 2, 0.1, DataType.DOUBLE, 5).generate().data(); // 216 KB of X and Y
        Trainer.Config c = config(shuffle).withBatchSize(batch).withEpochs(3);
        List<HostDevice> devs = new ArrayList<>();
        TrainingResult staged = new Trainer(optimizer("nesterov-keras", 0.02), c.withKernel(KernelKind.CUDA), t -> {
            HostDevice h = new HostDevice(true, 100_000);
            devs.add(h);
            return h;
        }).train(d, null, LinearModel.zeros(7, 2, DataType.DOUBLE));
        TrainingResult cpu = onCpu(optimizer("nesterov-keras", 0.02), c, d);
        double rel = maxRelative(staged.model().stacked(), cpu.model().stacked());
        assertTrue(rel <= 1e-12, "θ differs from the CPU engine's by " + rel);
        List<String> calls = devs.get(0).calls;
        assertEquals(0, calls.stream().filter("gather"::equals).count(), "no device gather: rows come gathered");
        assertEquals(2, calls.stream().filter("upload"::equals).count(), "only the ones and θ are uploaded whole");
        int first = calls.indexOf("awaitStaged");
        assertEquals(List.of("awaitStaged", "stage", "stage", "gemm", "ger", "axpy", "dot", "gemm", "gemv"),
                calls.subList(first, first + 9));
        int steps = 3 * ((3000 + batch - 1) / batch);
        assertEquals(2L * steps, calls.stream().filter("stage"::equals).count());
    }

    @Test
    void inOrderBatchesAreReadInPlaceAndWiderModelsUseGemm() {
        Dataset d = data(DataType.DOUBLE, 3);
        List<HostDevice> devs = new ArrayList<>();
        onDevice(optimizer("sgd", 0.02), config(false).withEpochs(1), d, devs);
        List<String> calls = devs.get(0).calls;
        int first = calls.indexOf("gemm");
        assertEquals(List.of("gemm", "ger", "axpy", "dot", "gemm", "gemv", "axpy"), calls.subList(first, first + 7));
        assertEquals(0, calls.stream().filter("gather"::equals).count());
    }

    @Test
    void divergenceStopsWithTheCpuEnginesMessageAndKeepsTheLastGoodModel() {
        Dataset d = data(DataType.DOUBLE, 1);
        Trainer.Config c = config(true).withEpochs(8);
        Optimizer o = Optimizers.create("sgd", new Schedule.Constant(3.0), 0, 0);
        TrainingResult gpu = onDevice(o, c, d, new ArrayList<>());
        TrainingResult cpu = onCpu(o, c, d);
        assertEquals(StopReason.DIVERGED, cpu.stop());
        assertEquals(cpu.stop(), gpu.stop());
        assertEquals(cpu.message(), gpu.message());
        assertEquals(cpu.history().size(), gpu.history().size());
        assertTrue(maxRelative(gpu.model().stacked(), cpu.model().stacked()) <= 1e-12);
    }

    @Test
    void checkpointsHoldTheDevicesStateAndResumeGivesTheSameRun(@TempDir Path dir) throws Exception {
        Dataset d = data(DataType.DOUBLE, 2);
        Path ck = dir.resolve("ck");
        Trainer.Config c = config(true).withEpochs(4).withKernel(KernelKind.CUDA);
        Optimizer o = optimizer("nesterov-torch", 0.02);
        LinearModel zero = LinearModel.zeros(7, 2, DataType.DOUBLE);
        Trainer t = new Trainer(o, c, dt -> new HostDevice(true));
        TrainingResult whole = t.train(d, null, zero);
        t.train(d, null, zero, new Trainer.Checkpointing(ck, 2, Map.of()));
        assertTrue(Files.exists(ck));
        Checkpoint half = Checkpoint.load(ck);
        assertEquals(2, half.epochsDone());
        // the checkpoint is the CPU engine's after 2 epochs, momentum buffer included
        TrainingResult cpu2 = onCpu(o, config(true).withEpochs(2), d);
        assertTrue(maxRelative(half.theta(), cpu2.model().stacked()) <= 1e-12);
        TrainingResult resumed = t.resume(d, null, half, null);
        assertTrue(maxRelative(resumed.model().stacked(), whole.model().stacked()) <= 1e-13);
        assertEquals(whole.history().size(), resumed.history().size());
    }

    @Test
    void whatTheGpuPathDoesNotDoIsSaid() {
        Dataset d = data(DataType.DOUBLE, 1);
        Trainer.Config c = config(true).withKernel(KernelKind.CUDA).withTolerance(1e-9)
                .withStopRule(Trainer.StopRule.STEP_THETA);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(optimizer("sgd", 0.01), c, t -> new HostDevice(true)).train(d, null, LinearModel.zeros(7, 1,
                        DataType.DOUBLE)));
        assertTrue(e.getMessage().contains("reports once an epoch"), e.getMessage());
    }

    @Test
    void withoutAGpuBuildOrDeviceOpeningOneSaysWhyInOneLine() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(Path.of("/dev/nvidia0")), "this machine has a GPU");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.cuda(DataType.DOUBLE).close());
        assertTrue(!e.getMessage().contains("\n") && e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.getMessage().contains("gpu") || e.getMessage().contains("CUDA"), e.getMessage());
    }
}
