package netbook.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import netbook.dsl.NetbookException;

/**
 * Applies an {@link OptimizerSpec} to a block's parameters in place, with PyTorch's update rules
 * ({@code torch.optim.SGD} and {@code torch.optim.Adam}), then zeroes the gradients.
 *
 * <p>Why not DJL's optimisers: for every parameter DJL first duplicates the gradient, its native
 * update clones it again and adds {@code weightDecay * weight} even when the decay is zero, so an
 * SGD-momentum step streams each parameter-sized buffer about 18 times through memory against
 * PyTorch's 9. This one reads the gradient where autograd left it: about 11 passes for SGD with
 * momentum, 5 without. Single device only; {@link Fit} keeps DJL's path for data parallelism.
 *
 * <pre>
 * InPlaceOptimizer opt = InPlaceOptimizer.of(Optimizers.sgd(0.01).momentum(0.9), block.getParameters(), manager, 100, 1000);
 * // forward, backward ...
 * opt.step();
 * </pre>
 */
public final class InPlaceOptimizer implements TrainingLoop.Updater, AutoCloseable {
    private final OptimizerSpec spec;
    private final List<PtNDArray> weights = new ArrayList<>();
    private final NDArray[] first;    // SGD momentum buffer, or Adam's first moment
    private final NDArray[] second;   // Adam's second moment
    private final NDManager states;
    private final int stepsPerEpoch;
    private final int totalSteps;
    private int updates;
    private double scale = 1;   // reduce-on-plateau's factor on the schedule's rate

    private InPlaceOptimizer(OptimizerSpec spec, List<PtNDArray> trainable, NDManager parent, int stepsPerEpoch, int totalSteps) {
        this.spec = spec;
        this.stepsPerEpoch = stepsPerEpoch;
        this.totalSteps = totalSteps;
        weights.addAll(trainable);
        states = parent.newSubManager();
        boolean adam = spec.kind() == OptimizerSpec.Kind.ADAM;
        boolean sgdMomentum = spec.kind() == OptimizerSpec.Kind.SGD && spec.momentum() > 0;
        first = new NDArray[weights.size()];
        second = new NDArray[weights.size()];
        for (int i = 0; i < weights.size(); i++) {
            if (adam || sgdMomentum) first[i] = states.zeros(weights.get(i).getShape(), weights.get(i).getDataType());
            if (adam) second[i] = states.zeros(weights.get(i).getShape(), weights.get(i).getDataType());
        }
    }

    /**
     * An optimiser for the trainable, initialised parameters in {@code params}; its state lives in
     * a sub-manager of {@code manager}. The schedule is resolved with the run's length.
     */
    public static InPlaceOptimizer of(OptimizerSpec spec, Iterable<Pair<String, Parameter>> params, NDManager manager,
                                      int stepsPerEpoch, int totalSteps) {
        List<Pair<String, NDArray>> arrays = new ArrayList<>();
        for (Pair<String, Parameter> p : params) {
            Parameter param = p.getValue();
            if (param.requiresGradient() && param.isInitialized()) arrays.add(new Pair<>(p.getKey(), param.getArray()));
        }
        return ofArrays(spec, arrays, manager, stepsPerEpoch, totalSteps);
    }

    /** The same over plain arrays (embedding tables), which must record gradients. */
    public static InPlaceOptimizer ofArrays(OptimizerSpec spec, List<Pair<String, NDArray>> arrays, NDManager manager,
                                            int stepsPerEpoch, int totalSteps) {
        List<PtNDArray> trainable = new ArrayList<>();
        for (Pair<String, NDArray> p : arrays) {
            if (!(p.getValue() instanceof PtNDArray w)) {
                throw new NetbookException("InPlaceOptimizer needs the PyTorch engine; parameter " + p.getKey()
                        + " is a " + p.getValue().getClass().getSimpleName());
            }
            if (!w.hasGradient()) w.setRequiresGradient(true);
            trainable.add(w);
        }
        return new InPlaceOptimizer(spec, trainable, manager, stepsPerEpoch, totalSteps);
    }

    /** Number of updates applied so far. */
    @Override
    public int updates() {
        return updates;
    }

    /** The learning rate the next update uses. */
    public double currentRate() {
        return scale * spec.schedule().rate(spec.lr(), updates, stepsPerEpoch, totalSteps);
    }

    @Override
    public double learningRate() { return currentRate(); }

    @Override
    public void scaleLearningRate(double factor) { scale *= factor; }

    @Override
    public double scale() { return scale; }

    /** Momentum buffers or Adam's moments, in parameter order. */
    @Override
    public List<NDArray> state() {
        List<NDArray> out = new ArrayList<>();
        for (NDArray a : first) if (a != null) out.add(a);
        for (NDArray a : second) if (a != null) out.add(a);
        return out;
    }

    @Override
    public void restore(List<NDArray> state, int updates, double scale) {
        this.updates = updates;
        this.scale = scale;
    }

    /** One update of every parameter from its accumulated gradient; gradients are zero afterwards. */
    public void step() {
        // Grad mode is per thread in libtorch and on by default in any thread but the one that
        // loaded the engine; an in-place update of a parameter under it is an error.
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            update();
        } finally {
            JniUtils.setGradMode(gradMode);
        }
    }

    private void update() {
        float lr = (float) currentRate();
        updates++;
        boolean adam = spec.kind() == OptimizerSpec.Kind.ADAM;
        // Every temporary goes to this step's scratch manager: results of ops land in the manager
        // of their first operand (model or state), where they would otherwise pile up.
        try (NDManager scratch = states.newSubManager()) {
            // Scalars as 0-d tensors made once per step: DJL's op(Number) builds and frees a fresh
            // tensor from a direct buffer on every call, three native calls for each scalar use.
            NDArray lrT = scratch.create(lr);
            NDArray decayT = spec.weightDecay() > 0 ? scratch.create((float) spec.weightDecay()) : null;
            NDArray momentumT = !adam && spec.momentum() > 0 ? scratch.create((float) spec.momentum()) : null;
            NDArray[] adamT = adam ? adamScalars(scratch, lr) : null;
            NDArray normScale = spec.clipGradNorm() > 0 ? globalNormScale(scratch) : null;
            for (int i = 0; i < weights.size(); i++) {
                PtNDArray w = weights.get(i);
                NDArray g = temp(scratch, w.getGradient());
                if (normScale != null) {
                    g = temp(scratch, g.mul(normScale));
                }
                if (spec.clipGrad() > 0) {
                    g = temp(scratch, g.clip(-spec.clipGrad(), spec.clipGrad()));
                }
                if (decayT != null) {
                    g = temp(scratch, g.add(temp(scratch, w.mul(decayT))));
                }
                if (adam) {
                    adam(scratch, i, w, g, adamT);
                } else if (first[i] != null) {
                    first[i].muli(momentumT).addi(g);
                    w.subi(temp(scratch, first[i].mul(lrT)));
                } else {
                    w.subi(temp(scratch, g.mul(lrT)));
                }
                JniUtils.zeroGrad(w);
            }
        }
    }

    /**
     * {@code torch.nn.utils.clip_grad_norm_}: min(1, max / (norm + 1e-6)) for the L2 norm of all
     * gradients together, as a 0-d array. Applied before value clipping and weight decay.
     */
    private NDArray globalNormScale(NDManager scratch) {
        double sumSquares = 0;
        for (PtNDArray w : weights) {
            NDArray g = temp(scratch, w.getGradient());
            sumSquares += temp(scratch, temp(scratch, g.square()).sum()).getFloat();
        }
        double coef = Math.min(1.0, spec.clipGradNorm() / (Math.sqrt(sumSquares) + 1e-6));
        return scratch.create((float) coef);
    }

    private static NDArray temp(NDManager scratch, NDArray a) {
        a.attach(scratch);
        return a;
    }

    private static final double B1 = 0.9;
    private static final double B2 = 0.999;

    /** This step's Adam scalars: b1, 1-b1, b2, 1-b2, 1/sqrt(bias correction 2), eps, lr/bias correction 1. */
    private NDArray[] adamScalars(NDManager scratch, float lr) {
        double bc1 = 1 - Math.pow(B1, updates);
        double bc2 = 1 - Math.pow(B2, updates);
        float[] v = {(float) B1, (float) (1 - B1), (float) B2, (float) (1 - B2), (float) (1 / Math.sqrt(bc2)), 1e-8f,
                (float) (lr / bc1)};
        NDArray[] t = new NDArray[v.length];
        for (int k = 0; k < v.length; k++) {
            t[k] = scratch.create(v[k]);
        }
        return t;
    }

    /** torch.optim.Adam: betas (0.9, 0.999), eps 1e-8, bias-corrected moments, eps added after the correction. */
    private void adam(NDManager scratch, int i, NDArray w, NDArray g, NDArray[] c) {
        NDArray m = first[i];
        NDArray v = second[i];
        m.muli(c[0]).addi(temp(scratch, g.mul(c[1])));
        v.muli(c[2]).addi(temp(scratch, g.square()).muli(c[3]));
        NDArray denom = temp(scratch, v.sqrt()).muli(c[4]).addi(c[5]);
        w.subi(temp(scratch, m.div(denom)).muli(c[6]));
    }

    @Override
    public void close() {
        states.close();
    }
}
