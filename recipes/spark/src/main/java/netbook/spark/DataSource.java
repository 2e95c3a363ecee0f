package netbook.spark;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import netbook.data.ArrayDataset;
import netbook.data.FashionMnist;
import netbook.data.ImageFolder;
import netbook.data.Tabular;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;

/**
 * Where a sweep's examples come from, as data that travels to the executors: each executor reads
 * the files itself (on a cluster the path must exist on every worker) and keeps them for the
 * trials it runs next.
 *
 * @param source       {@code fashion-mnist}, {@code csv} or {@code images}
 * @param path         the CSV file or image folder; for Fashion-MNIST a folder of its four files, or null for the configured one
 * @param label        the CSV column to predict
 * @param train        how many training examples to keep (a seeded sample), 0 for all
 * @param test         how many held-out examples to keep (the first ones), 0 for all
 * @param testFraction the held-out share of a CSV file or image folder
 */
public record DataSource(String source, String path, String label, int train, int test, double testFraction)
        implements java.io.Serializable {

    static final Set<String> KEYS = Set.of("source", "path", "label", "train", "test", "test_fraction");

    /** Training and held-out examples, shaped for one network. */
    public record Split(ArrayDataset train, ArrayDataset test) {}

    static DataSource parse(JsonElement e, String where, Path base) {
        JsonObject o = Sweep.object(e, where);
        Sweep.checkKeys(o, KEYS, where);
        if (!o.has("source")) throw new NetbookException(where + ": say where the examples come from with \"source\": fashion-mnist, csv or images");
        String source = Sweep.string(o.get("source"), where + ": \"source\"");
        String path = o.has("path") ? Sweep.string(o.get("path"), where + ": \"path\"") : null;
        if (path != null && base != null) path = base.resolve(path).toAbsolutePath().normalize().toString();
        String label = o.has("label") ? Sweep.string(o.get("label"), where + ": \"label\"") : null;
        int train = o.has("train") ? (int) Sweep.whole(o.get("train"), where + ": \"train\"") : 0;
        int test = o.has("test") ? (int) Sweep.whole(o.get("test"), where + ": \"test\"") : 0;
        if (train < 0 || test < 0) throw new NetbookException(where + ": \"train\" and \"test\" count examples (0 for all), received " + train + " and " + test);
        double fraction = o.has("test_fraction") ? Sweep.number(o.get("test_fraction"), where + ": \"test_fraction\"") : 0.2;
        if (!(fraction > 0 && fraction < 1)) throw new NetbookException(where + ": \"test_fraction\" is between 0 and 1, received " + fraction);
        switch (source) {
            case "fashion-mnist" -> {
                if (label != null) throw new NetbookException(where + ": \"label\" is for a CSV file");
            }
            case "csv" -> {
                if (path == null) throw new NetbookException(where + ": a csv source needs \"path\": \"file.csv\"");
                if (label == null) throw new NetbookException(where + ": a csv source needs \"label\": the column to predict");
            }
            case "images" -> {
                if (path == null) throw new NetbookException(where + ": an images source needs \"path\": a folder with one sub-folder per class");
                if (label != null) throw new NetbookException(where + ": \"label\" is for a CSV file; an image's class is its sub-folder");
            }
            default -> throw new NetbookException(where + ": \"source\" is fashion-mnist, csv or images, received " + source);
        }
        if (path != null && !Files.exists(Path.of(path))) throw new NetbookException(where + ": \"path\" " + path + " does not exist");
        return new DataSource(source, path, label, train, test, fraction);
    }

    /** Read once per JVM (an executor runs many trials): keyed by the source and the network's input. */
    private static final Map<String, Split> CACHE = new ConcurrentHashMap<>();

    /** The examples for {@code net}: images resized to its input, a CSV file encoded. */
    public Split load(Net net) {
        String key = this + "|" + net.inputShape();
        return CACHE.computeIfAbsent(key, k -> read(net));
    }

    private Split read(Net net) {
        ArrayDataset tr, te;
        long splitSeed = 0;   // the same split for every trial, whatever its training seed
        switch (source) {
            case "fashion-mnist" -> {
                FashionMnist f = path == null ? FashionMnist.standard() : FashionMnist.at(Path.of(path));
                tr = f.trainSet();
                te = f.testSet();
            }
            case "csv" -> {
                Tabular.Split s = Tabular.csv(Path.of(path)).label(label).dropMissing().split(testFraction, splitSeed);
                tr = s.train();
                te = s.test();
            }
            default -> {
                ImageFolder.Split s = ImageFolder.of(Path.of(path)).split(testFraction, splitSeed);
                tr = s.train().resizedFor(net);
                te = s.test().resizedFor(net);
            }
        }
        if (train > 0 && train < tr.size()) tr = tr.sample(train, splitSeed);
        if (test > 0 && test < te.size()) te = te.head(test);
        return new Split(tr, te);
    }

    /** A CSV source sizes an MLP from its columns; the sweep's "mlp" model. */
    Net mlp(int hidden) {
        if (!source.equals("csv")) throw new NetbookException("the model mlp is sized from a CSV file; this sweep's data is " + source);
        Tabular.Split s = Tabular.csv(Path.of(path)).label(label).dropMissing().split(testFraction, 0);
        return Tabular.mlp(s.train(), hidden);
    }
}
