package netbook.loss;

import java.util.List;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.booleans.BooleanFormatter;

/**
 * The eleven margin losses, made for {@code import static netbook.loss.MarginLosses.*}. The
 * sigmoid and exponential losses are {@code sigmoidLoss()} and {@code expLoss()}, so they do not
 * clash with the activation {@code Layers.sigmoid()} or with {@code Math.exp}.
 * <pre>
 * Loss djl = smoothedL1Hinge(0.5).toDjl();
 * for (MarginLoss l : all()) System.out.println(l.name() + " " + l.psi(0));
 * System.out.println(traits());
 * </pre>
 */
public final class MarginLosses {
    private MarginLosses() {}

    /** 1 for a &lt; 0, else 0: an evaluation metric (its gradient is 0). */
    public static ZeroOne zeroOne() { return new ZeroOne(); }

    /** max(0, -a). */
    public static Perceptron perceptron() { return new Perceptron(); }

    /** The SVM hinge max(0, 1 - a). */
    public static L1Hinge l1Hinge() { return new L1Hinge(); }

    /** The hinge with a quadratic corner of width {@code gamma} &gt; 0. */
    public static SmoothedL1Hinge smoothedL1Hinge(double gamma) { return new SmoothedL1Hinge(gamma); }

    /** max(0, 1 - a)^2 for a &gt;= -1, else -4a. */
    public static ModifiedHuber modifiedHuber() { return new ModifiedHuber(); }

    /** Distance-weighted discrimination with tail power {@code q} &gt; 0. */
    public static DWDMargin dwdMargin(double q) { return new DWDMargin(q); }

    /** (1 - a)^2. */
    public static L2Margin l2Margin() { return new L2Margin(); }

    /** max(0, 1 - a)^2. */
    public static L2Hinge l2Hinge() { return new L2Hinge(); }

    /** 1 - tanh(a). */
    public static Sigmoid sigmoidLoss() { return new Sigmoid(); }

    /** ln(1 + e^(-a)), the logistic loss. */
    public static LogitMargin logitMargin() { return new LogitMargin(); }

    /** e^(-a). */
    public static Exp expLoss() { return new Exp(); }

    /**
     * All eleven, in the order of the papers' table, with SmoothedL1Hinge at gamma = 0.5 and
     * DWDMargin at q = 1.
     */
    public static List<MarginLoss> all() {
        return List.of(zeroOne(), perceptron(), l1Hinge(), smoothedL1Hinge(0.5), modifiedHuber(),
                dwdMargin(1), l2Margin(), l2Hinge(), sigmoidLoss(), logitMargin(), expLoss());
    }

    /** The traits of {@link #all()}: one row per loss, one Y/N column per trait. */
    public static Table traits() {
        return traits(all());
    }

    /** The traits of these losses: one row per loss, one Y/N column per trait. */
    public static Table traits(List<? extends MarginLoss> losses) {
        Table table = Table.create("margin loss traits",
                StringColumn.create("loss", losses.stream().map(MarginLoss::name)));
        for (int t = 0; t < MarginTraits.NAMES.size(); t++) {
            int trait = t;
            BooleanColumn column = BooleanColumn.create(MarginTraits.NAMES.get(t),
                    losses.stream().map(l -> l.traits().values().get(trait)));
            column.setPrintFormatter(new BooleanFormatter("Y", "N"));
            table.addColumns(column);
        }
        return table;
    }

    /** A trait where LossFunctions.jl's flag is mathematically wrong: the library's value, ours, and why. */
    public record Correction(String loss, String trait, boolean lossFunctionsJl, boolean netbook, String why) {}

    /** Where {@link #traits()} differs from LossFunctions.jl's flags on purpose. */
    public static final List<Correction> CORRECTIONS = List.of(
            new Correction("ZeroOne", "Lipschitz", true, false,
                    "psi jumps from 1 to 0 at a = 0, so no constant bounds |psi(a) - psi(b)| / |a - b|; the library's flag "
                            + "only says the derivative is bounded where it exists"),
            new Correction("ZeroOne", "locally Lipschitz", true, false,
                    "follows: locally Lipschitz = convex or Lipschitz, and ZeroOne is neither (discontinuous at 0)"),
            new Correction("DWDMargin", "twice differentiable", true, false,
                    "psi'' jumps at a = q/(q+1), from 0 to q^(q+1) / (q+1)^q / (q/(q+1))^(q+2) (4 for q = 1)"));

    /** {@link #CORRECTIONS} as a table, to show beside {@link #traits()}. */
    public static Table traitCorrections() {
        BooleanColumn library = BooleanColumn.create("LossFunctions.jl", CORRECTIONS.stream().map(Correction::lossFunctionsJl));
        BooleanColumn ours = BooleanColumn.create("Netbook", CORRECTIONS.stream().map(Correction::netbook));
        library.setPrintFormatter(new BooleanFormatter("Y", "N"));
        ours.setPrintFormatter(new BooleanFormatter("Y", "N"));
        return Table.create("margin loss traits: corrections to LossFunctions.jl's flags",
                StringColumn.create("loss", CORRECTIONS.stream().map(Correction::loss)),
                StringColumn.create("trait", CORRECTIONS.stream().map(Correction::trait)),
                library, ours,
                StringColumn.create("why", CORRECTIONS.stream().map(Correction::why)));
    }
}
