package dev.descent.optim;

import static dev.descent.Tolerances.PARITY_F64;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.descent.SeededTest;
import dev.descent.data.Dataset;
import dev.descent.data.Npz;
import dev.descent.engine.Trainer;
import dev.descent.model.LinearModel;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The engine against numbers PyTorch 1.13 computed itself (torch.optim.SGD with StepLR, ExponentialLR and
 * a per-iteration LambdaLR 1/(1+d·t)) and Keras' legacy SGD rule (decay per iteration, momentum, Nesterov):
 * float64 W and B after a few epochs of in-order batches whose last one is uneven
 * (src/test/resources/torch/make_reference.py).
 */
class PeerReferenceTest extends SeededTest {
    static final Path DIR = Path.of("src/test/resources/torch");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"torch_sgd", "torch_momentum", "torch_momentum_dampened_steplr", "torch_nesterov_exponentiallr",
        "torch_momentum_lambdalr", "keras_momentum_decay", "keras_nesterov_decay"})
    void engineEqualsThePeersOwnNumbers(String name) throws Exception {
        JsonNode c = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile()).get(name);
        Map<String, INDArray> data = Npz.read(DIR.resolve("data.npz"), "X", "Y", "W0", "B0");
        Map<String, INDArray> ref = Npz.read(DIR.resolve(name + ".npz"), "W", "B");
        double lr = c.get("lr").asDouble();
        Schedule schedule = switch (c.get("schedule").asText()) {
            case "constant" -> new Schedule.Constant(lr);
            case "step" -> new Schedule.Step(lr, c.get("gamma").asDouble(), c.get("step_every").asInt());
            case "exponential" -> new Schedule.Exponential(lr, c.get("gamma").asDouble());
            case "inverse-time" -> new Schedule.InverseTime(lr, c.get("decay").asDouble());
            default -> throw new IllegalArgumentException(c.get("schedule").asText());
        };
        Optimizer opt = Optimizers.create(c.get("optimizer").asText(), schedule, c.get("momentum").asDouble(),
                c.get("dampening").asDouble());
        Trainer.Config config = Trainer.Config.defaults().withBatchSize(c.get("batch").asInt()).withEpochs(c.get("epochs").asInt())
                .withShuffle(false);
        INDArray b0 = data.get("B0");
        LinearModel initial = new LinearModel(data.get("W0").dup('c'), b0.reshape(b0.length()).dup());
        LinearModel trained = new Trainer(opt, config).train(new Dataset(data.get("X"), data.get("Y")), null, initial).model();
        INDArray want = new LinearModel(ref.get("W"), ref.get("B").reshape(ref.get("B").length())).stacked().castTo(DataType.DOUBLE);
        INDArray got = trained.stacked().castTo(DataType.DOUBLE);
        double relative = got.sub(want).norm2Number().doubleValue() / want.norm2Number().doubleValue();
        assertTrue(relative <= PARITY_F64, name + ": ‖Δθ‖/‖θ‖ = " + relative);
    }
}
