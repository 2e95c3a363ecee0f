package netbook.train;

import static netbook.dsl.Layers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import netbook.data.ArrayDataset;
import netbook.dsl.Layer;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad arguments get errors that name the argument or the block, never a bare NPE or a silent default. */
class InputValidationTest {
    private static String error(Executable e) {
        return assertThrows(NetbookException.class, e).getMessage();
    }

    static ArrayDataset data(int n, int width) {
        return new ArrayDataset("d" + width, new float[n * width], Shape.of(width), new int[n], 2, null);
    }

    @Test
    void optimiserSettingsRefuseNaNAndNegatives() {
        assertEquals("sgd: momentum must be in [0, 1), received NaN", error(() -> Optimizers.sgd(0.1).momentum(Double.NaN)));
        assertEquals("sgd: weight decay must be zero or positive, received NaN", error(() -> Optimizers.sgd(0.1).weightDecay(Double.NaN)));
        assertEquals("adam: clipGrad must be zero (off) or positive, received -1.0", error(() -> Optimizers.adam(1e-3).clipGrad(-1)));
        assertEquals("adam: clipGradNorm must be zero (off) or positive, received NaN", error(() -> Optimizers.adam(1e-3).clipGradNorm(Double.NaN)));
        assertEquals("adam: learning rate must be positive, received NaN", error(() -> Optimizers.adam(Double.NaN)));
        assertEquals("Schedule.step(NaN, 0.5): both must be positive", error(() -> Schedule.step(Double.NaN, 0.5)));
        assertEquals("warm-up must be zero or positive, received -1.0", error(() -> Schedule.cosine().warmup(-1)));
    }

    @Test
    void dslAndDataArgumentsAreNamed() {
        assertEquals("residual(...).shortcut: no layers; give the projection, e.g. shortcut(conv(64, 1).stride(2), batchNorm())",
                error(() -> residual(conv(4, 1)).shortcut((Layer[]) null)));
        assertEquals("residual(...).shortcut: layer 2 of 2 is null", error(() -> residual(conv(4, 1)).shortcut(conv(4, 1), null)));
        assertEquals("d3.head(-1): the number of examples must be zero or positive", error(() -> data(4, 3).head(-1)));
        assertEquals("d3.sample(-2): the number of examples must be zero or positive", error(() -> data(4, 3).sample(-2, 1)));
    }

    @Test
    void dataOfTheWrongShapeIsRefusedBeforeTrainingOrPredicting() {
        Net net = Net.input(3).named("three").add(linear(2));
        assertEquals("Fit.validation: three takes examples of (N, 3) but d4 has examples of (N, 4)",
                error(() -> Fit.of(net, data(8, 3)).validation(data(8, 4))));
        try (TrainedModel m = TrainedModel.untrained(net, 1)) {
            assertEquals("predict: three takes examples of (N, 3) but d5 has examples of (N, 5)", error(() -> m.predict(data(2, 5))));
            assertEquals("evaluate: three takes examples of (N, 3) but d5 has examples of (N, 5)", error(() -> m.evaluate(data(2, 5))));
        }
    }
}
