package netbook.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import netbook.internal.djl.Trace;

/**
 * Finds where a non-finite value first appeared in a training step: in the input batch, in a
 * parameter an earlier update broke, in the forward output of a block (by its path), in the loss,
 * or in the gradient flowing back into a block's output. Used by {@link TrainingLoop} to explain a
 * non-finite loss (the step is re-run with checks) and, every step, in the opt-in anomaly mode.
 */
public final class NonFiniteLocator {
    private NonFiniteLocator() {}

    /**
     * Re-runs a step whose loss was non-finite with every block's output and output gradient
     * recorded; returns a sentence naming the first place a value became non-finite. Gradients it
     * leaves behind are zeroed, as the failed step never updates.
     */
    public static String rerun(Block root, NDArray x, java.util.function.Supplier<NDArray> forwardAndLoss) {
        Map<Parameter, String> paths = Trace.parameterPaths(root);
        long badInput = Trace.nonFinite(x);
        if (badInput > 0) {
            return "the input batch itself holds " + badInput + " non-finite values; check the data";
        }
        for (Pair<String, Parameter> p : root.getParameters()) {
            NDArray v = p.getValue().getArray();
            if (v.getDataType().isFloating() && Trace.nonFinite(v) > 0) {
                return "parameter " + paths.getOrDefault(p.getValue(), p.getKey()) + " is already non-finite before this step: "
                        + "an earlier update broke it; run with .detectAnomalies() to stop at the step whose gradient first became non-finite";
            }
        }
        try (Trace trace = Trace.start(true); GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            NDArray loss = forwardAndLoss.get();
            Trace.Entry bad = trace.firstNonFiniteOutput();
            if (bad != null) {
                return forwardSentence(trace, bad);
            }
            if (Trace.nonFinite(loss) > 0) {
                return "every block's output is finite but the loss is not; check the labels and the loss's inputs";
            }
            gc.backward(loss);
            String g = gradientSentence(trace, root, paths);
            return g != null ? g : "the re-run of this step was finite (the failure did not repeat: a non-deterministic kernel or reused memory)";
        } finally {
            zeroGradients(root);
        }
    }

    /** Anomaly mode, after backward of a finite loss: a sentence if an output or gradient is non-finite, else null. */
    static String check(Trace trace, Block root) {
        Trace.Entry bad = trace.firstNonFiniteOutput();
        if (bad != null) {
            return forwardSentence(trace, bad);
        }
        return gradientSentence(trace, root, Trace.parameterPaths(root));
    }

    private static String forwardSentence(Trace trace, Trace.Entry bad) {
        int i = trace.entries().indexOf(bad);
        String input = i == 0 ? "the input batch" : "its input (the output of " + trace.entries().get(i - 1).path() + ")";
        return String.format(Locale.ROOT, "the forward output of %s (%s) is the first to become non-finite (%d of %d values); %s was finite",
                bad.path(), bad.type(), Trace.nonFinite(bad.output()), bad.output().size(), input);
    }

    private static String gradientSentence(Trace trace, Block root, Map<Parameter, String> paths) {
        List<String> badParams = new ArrayList<>();
        for (Pair<String, Parameter> p : root.getParameters()) {
            NDArray v = p.getValue().getArray();
            if (v.hasGradient() && Trace.nonFinite(v.getGradient()) > 0) {
                badParams.add(paths.getOrDefault(p.getValue(), p.getKey()));
            }
        }
        int g = trace.firstNonFiniteGradient();
        if (g < 0 && badParams.isEmpty()) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        List<Trace.Entry> e = trace.entries();
        if (g == e.size() - 1) {
            s.append("the loss's gradient with respect to the network's output (").append(e.get(g).path()).append(") is non-finite");
        } else if (g >= 0) {
            s.append("in backward, the gradient first becomes non-finite at the output of ").append(e.get(g).path())
                    .append(" (").append(e.get(g).type()).append("), flowing back from ").append(e.get(g + 1).path())
                    .append(" (").append(e.get(g + 1).type()).append("), whose output gradient is finite");
        } else {
            s.append("every block's output gradient is finite");
        }
        if (!badParams.isEmpty()) {
            // Parameters in forward order; the last one is the first reached by backward.
            s.append("; parameters with non-finite gradients: ").append(String.join(", ", badParams.subList(Math.max(0, badParams.size() - 3), badParams.size())));
            if (badParams.size() > 3) s.append(" and ").append(badParams.size() - 3).append(" more before them");
        }
        return s.toString();
    }

    static void zeroGradients(Block root) {
        for (Pair<String, Parameter> p : root.getParameters()) {
            NDArray v = p.getValue().getArray();
            if (v.hasGradient()) {
                JniUtils.zeroGrad((PtNDArray) v);
            }
        }
    }
}
