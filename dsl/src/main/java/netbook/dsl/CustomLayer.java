package netbook.dsl;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A user-written layer with weights, declared as data: its type, output shape and {@link Weight}s.
 * The declaration needs no engine, so summaries, diagrams and saved specs work anywhere; the
 * computation is given to the runtime once per layer type ({@code netbook.engine.Blocks.define}),
 * which creates the declared weights and calls it with them.
 * <pre>
 * record Scale(int channels) implements CustomLayer {
 *     public String type() { return "Scale"; }
 *     public Shape outputShape(Shape in) { return in; }
 *     public List&lt;Weight&gt; weights(Shape in) { return List.of(Weight.of("gamma", Shape.of(channels, 1, 1), Weight.Init.ONES)); }
 * }
 * Blocks.define(Scale.class, (layer, w, x, training) -> x.mul(w.get("gamma")));   // netbook.engine, on the runtime
 * </pre>
 */
public interface CustomLayer extends Layer {
    /** The layer's weights for input shape {@code in} (per example, no batch axis); none for a parameter-free layer. */
    List<Weight> weights(Shape in);

    /** The total size of {@link #weights}. */
    @Override
    default long params(Shape in) {
        List<Weight> ws = weights(in);
        Set<String> names = new HashSet<>();
        long total = 0;
        for (Weight w : ws) {
            if (!names.add(w.name())) {
                throw ShapeException.of(type(), "declares the weight '" + w.name() + "' twice; give each weight its own name");
            }
            total += w.size();
        }
        return total;
    }
}
