package netbook.train;

import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import netbook.dsl.NetbookException;

/**
 * An optimiser with its learning rate, schedule, momentum, weight decay and gradient clipping.
 * Made by {@link Optimizers}: {@code sgd(0.1).momentum(0.9).weightDecay(5e-4).schedule(Schedule.cosine())}.
 */
public record OptimizerSpec(String kind, double lr, double momentum, double weightDecay, double clipGrad,
                            Schedule schedule) {
    public OptimizerSpec {
        if (!(lr > 0)) throw new NetbookException(kind + ": learning rate must be positive, received " + lr);
        if (momentum < 0 || momentum >= 1) throw new NetbookException(kind + ": momentum must be in [0, 1), received " + momentum);
        if (weightDecay < 0) throw new NetbookException(kind + ": weight decay must be zero or positive, received " + weightDecay);
    }

    public OptimizerSpec momentum(double m) { return new OptimizerSpec(kind, lr, m, weightDecay, clipGrad, schedule); }
    public OptimizerSpec weightDecay(double wd) { return new OptimizerSpec(kind, lr, momentum, wd, clipGrad, schedule); }
    public OptimizerSpec clipGrad(double c) { return new OptimizerSpec(kind, lr, momentum, weightDecay, c, schedule); }
    public OptimizerSpec schedule(Schedule s) { return new OptimizerSpec(kind, lr, momentum, weightDecay, clipGrad, s); }

    /** The DJL optimiser for a run of {@code totalSteps} updates of {@code stepsPerEpoch} each. */
    Optimizer toDjl(int stepsPerEpoch, int totalSteps) {
        Tracker tracker = schedule.kind() == Schedule.Kind.CONSTANT && schedule.warmupEpochs() == 0
                ? Tracker.fixed((float) lr)
                : update -> (float) schedule.rate(lr, update, stepsPerEpoch, totalSteps);
        float clip = clipGrad > 0 ? (float) clipGrad : Float.MAX_VALUE;
        return switch (kind) {
            case "sgd" -> Optimizer.sgd().setLearningRateTracker(tracker).optMomentum((float) momentum)
                    .optWeightDecays((float) weightDecay).optClipGrad(clip).build();
            case "adam" -> Optimizer.adam().optLearningRateTracker(tracker)
                    .optWeightDecays((float) weightDecay).optClipGrad(clip).build();
            default -> throw new NetbookException("unknown optimiser '" + kind + "'; use Optimizers.sgd or Optimizers.adam");
        };
    }
}
