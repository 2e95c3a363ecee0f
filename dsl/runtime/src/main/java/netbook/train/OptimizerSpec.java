package netbook.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import netbook.dsl.NetbookException;

/**
 * An optimiser with its learning rate, schedule, momentum, weight decay and gradient clipping (by
 * value, and by the global norm of all gradients as {@code torch.nn.utils.clip_grad_norm_}).
 * Made by {@link Optimizers}: {@code sgd(0.1).momentum(0.9).weightDecay(5e-4).schedule(Schedule.cosine())};
 * 0 means off for momentum, decay and both clippings.
 */
public record OptimizerSpec(Kind kind, double lr, double momentum, double weightDecay, double clipGrad,
                            double clipGradNorm, Schedule schedule) {
    /** The update rule: {@code torch.optim.SGD} or {@code torch.optim.Adam}. */
    public enum Kind { SGD, ADAM }

    public OptimizerSpec {
        if (kind == null) throw new NetbookException("optimiser: the kind is null; use Optimizers.sgd or Optimizers.adam");
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        // Written as !(in range) so that NaN, which fails every comparison, is refused too.
        if (!(lr > 0) || Double.isInfinite(lr)) throw new NetbookException(name + ": learning rate must be positive, received " + lr);
        if (!(momentum >= 0 && momentum < 1)) throw new NetbookException(name + ": momentum must be in [0, 1), received " + momentum);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) throw new NetbookException(name + ": weight decay must be zero or positive, received " + weightDecay);
        if (!(clipGrad >= 0)) throw new NetbookException(name + ": clipGrad must be zero (off) or positive, received " + clipGrad);
        if (!(clipGradNorm >= 0)) throw new NetbookException(name + ": clipGradNorm must be zero (off) or positive, received " + clipGradNorm);
        if (schedule == null) throw new NetbookException(name + ": the schedule is null; use Schedule.constant()");
        if (momentum > 0 && kind == Kind.ADAM) throw new NetbookException("adam: momentum is SGD's; Adam's betas are fixed at (0.9, 0.999)");
    }

    public OptimizerSpec momentum(double m) { return new OptimizerSpec(kind, lr, m, weightDecay, clipGrad, clipGradNorm, schedule); }
    public OptimizerSpec weightDecay(double wd) { return new OptimizerSpec(kind, lr, momentum, wd, clipGrad, clipGradNorm, schedule); }
    /** Clips every gradient value into [-c, c]. */
    public OptimizerSpec clipGrad(double c) { return new OptimizerSpec(kind, lr, momentum, weightDecay, c, clipGradNorm, schedule); }
    /** Scales all gradients together so that their global L2 norm is at most {@code max}. */
    public OptimizerSpec clipGradNorm(double max) { return new OptimizerSpec(kind, lr, momentum, weightDecay, clipGrad, max, schedule); }
    public OptimizerSpec schedule(Schedule s) { return new OptimizerSpec(kind, lr, momentum, weightDecay, clipGrad, clipGradNorm, s); }

    /**
     * For tables and logs, in the words a paper uses: "Adam 0.003, cosine" or
     * "SGD 0.1, momentum 0.9, weight decay 0.0005, cosine after 1 warm-up epoch".
     */
    public String describe() {
        StringBuilder sb = new StringBuilder(kind == Kind.SGD ? "SGD " : "Adam ").append(number(lr));
        if (momentum > 0) sb.append(", momentum ").append(number(momentum));
        if (weightDecay > 0) sb.append(", weight decay ").append(number(weightDecay));
        if (clipGrad > 0) sb.append(", gradients clipped to ").append(number(clipGrad));
        if (clipGradNorm > 0) sb.append(", gradient norm clipped to ").append(number(clipGradNorm));
        return sb.append(", ").append(schedule.describe()).toString();
    }

    /** 0.003, not 0.0030000000000000001 or 3.0E-3. */
    static String number(double v) {
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** The DJL optimiser for a run of {@code totalSteps} updates of {@code stepsPerEpoch} each. */
    Optimizer toDjl(int stepsPerEpoch, int totalSteps, java.util.function.DoubleSupplier scale) {
        Tracker tracker = update -> (float) (scale.getAsDouble() * schedule.rate(lr, update, stepsPerEpoch, totalSteps));
        float clip = clipGrad > 0 ? (float) clipGrad : Float.MAX_VALUE;
        return switch (kind) {
            case SGD -> Optimizer.sgd().setLearningRateTracker(tracker).optMomentum((float) momentum)
                    .optWeightDecays((float) weightDecay).optClipGrad(clip).build();
            case ADAM -> Optimizer.adam().optLearningRateTracker(tracker)
                    .optWeightDecays((float) weightDecay).optClipGrad(clip).build();
        };
    }
}
