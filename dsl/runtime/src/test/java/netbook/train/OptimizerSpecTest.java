package netbook.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What a results table says about the optimiser that made a row: every setting that is on, in plain numbers. */
class OptimizerSpecTest {
    @Test
    void describeNamesEverySettingThatIsOnAndNoneThatIsOff() {
        assertEquals("Adam 0.003, cosine", Optimizers.adam(3e-3).schedule(Schedule.cosine()).describe());
        assertEquals("SGD 0.1, momentum 0.9, weight decay 0.0005, cosine after 1 warm-up epoch",
                Optimizers.sgd(0.1).momentum(0.9).weightDecay(5e-4).schedule(Schedule.cosine().warmup(1)).describe());
        assertEquals("SGD 0.01, gradients clipped to 1, gradient norm clipped to 5, step x0.96 every 8 epochs",
                Optimizers.sgd(0.01).clipGrad(1).clipGradNorm(5).schedule(Schedule.step(8, 0.96)).describe());
        assertEquals("Adam 0.001, linear decay after 0.5 warm-up epochs", Optimizers.adam(1e-3).schedule(Schedule.linear().warmup(0.5)).describe());
    }
}
