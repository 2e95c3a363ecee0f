package netbook.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import netbook.zoo.Zoo;

/**
 * A sweep as data: the networks to try, the data set, and the search over training settings. Read
 * from a JSON file; every key is checked, and an error names the file and the key.
 * <pre>
 * {
 *   "name": "lr-and-width",
 *   "models": ["resnet18-small", {"spec": "my-net.json"}],      // "mlp" for a CSV source: sized from its columns
 *   "data": {"source": "fashion-mnist", "train": 6000, "test": 2000},
 *   "grid": {"optimizer": "adam", "lr": [0.001, 0.003], "epochs": 2, "batch": 128, "seed": [1, 2]},
 *   "metric": "val_accuracy"
 * }
 * </pre>
 * Instead of {@code "grid"}, {@code "random": {"trials": 8, "draw_seed": 7, "lr": {"log-uniform": [1e-4, 1e-2]}, "batch": [64, 128]}}
 * draws each setting from its list (uniformly) or range, from the given seed, so the same file gives the same trials.
 *
 * @param name    names the results
 * @param models  the networks, each as its spec JSON (a zoo name is resolved when the file is read)
 * @param data    where the examples come from
 * @param trials  every (model, settings) pair, in a fixed order
 * @param metric  the column the results are sorted by; higher is better unless it is a loss or an error
 */
public record Sweep(String name, List<Model> models, DataSource data, List<Trial> trials, String metric) {

    /** One network of the sweep: its name and its spec as JSON (what travels to the executors). */
    public record Model(String name, String specJson) implements java.io.Serializable {}

    static final Set<String> TOP_KEYS = Set.of("name", "models", "data", "grid", "random", "metric");
    static final Set<String> METRICS = Set.of("val_accuracy", "val_loss", "train_loss", "train_accuracy");

    /** Lower is better for losses and errors. */
    public boolean higherIsBetter() {
        return !(metric.endsWith("loss") || metric.endsWith("error"));
    }

    public static Sweep read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new NetbookException("sweep: cannot read " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString(), file.toAbsolutePath().getParent());
    }

    /** Parses a sweep; {@code where} names it in errors, {@code base} resolves relative paths (spec and data files). */
    public static Sweep parse(String json, String where, Path base) {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(json);
            if (!e.isJsonObject()) throw new NetbookException(where + ": a sweep is a JSON object {\"models\": ..., \"data\": ..., \"grid\": ...}");
            o = e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new NetbookException(where + ": not valid JSON: " + e.getMessage(), e);
        }
        checkKeys(o, TOP_KEYS, where);
        String name = o.has("name") ? string(o.get("name"), where + ": \"name\"") : "sweep";
        if (!o.has("data")) throw new NetbookException(where + ": no \"data\"; for example {\"source\": \"fashion-mnist\", \"train\": 6000, \"test\": 2000}");
        DataSource data = DataSource.parse(o.get("data"), where + ": \"data\"", base);
        if (!o.has("models")) throw new NetbookException(where + ": no \"models\"; give a list of zoo names or {\"spec\": \"file.json\"}");
        List<Model> models = models(o.get("models"), where, base, data);
        if (o.has("grid") == o.has("random")) {
            throw new NetbookException(where + ": give either \"grid\" (every combination) or \"random\" (a seeded draw), " + (o.has("grid") ? "not both" : "neither is there"));
        }
        List<Settings> settings = o.has("grid")
                ? Search.grid(object(o.get("grid"), where + ": \"grid\""), where + ": \"grid\"")
                : Search.random(object(o.get("random"), where + ": \"random\""), where + ": \"random\"");
        String metric = o.has("metric") ? string(o.get("metric"), where + ": \"metric\"") : "val_accuracy";
        if (!METRICS.contains(metric)) throw new NetbookException(where + ": \"metric\" is " + metric + "; one of " + new java.util.TreeSet<>(METRICS));
        List<Trial> trials = new ArrayList<>();
        for (Model m : models) {
            for (Settings s : settings) trials.add(new Trial(trials.size() + 1, m, data, s));
        }
        return new Sweep(name, models, data, List.copyOf(trials), metric);
    }

    private static List<Model> models(JsonElement e, String where, Path base, DataSource data) {
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw new NetbookException(where + ": \"models\" is a non-empty list of zoo names or {\"spec\": \"file.json\"}");
        }
        List<Model> out = new ArrayList<>();
        JsonArray a = e.getAsJsonArray();
        for (int i = 0; i < a.size(); i++) {
            String at = where + ": \"models\"[" + i + "]";
            JsonElement m = a.get(i);
            Net net;
            if (m.isJsonPrimitive()) {
                String zooName = m.getAsString();
                try {
                    net = zooName.equals("mlp") ? data.mlp(32) : Zoo.get(zooName);
                } catch (NetbookException x) {
                    throw new NetbookException(at + ": " + x.getMessage(), x);
                }
            } else if (m.isJsonObject()) {
                JsonObject mo = m.getAsJsonObject();
                checkKeys(mo, Set.of("spec"), at);
                if (!mo.has("spec")) throw new NetbookException(at + ": {\"spec\": \"file.json\"} names a spec file written by SpecJson.write");
                Path specFile = base == null ? Path.of(string(mo.get("spec"), at)) : base.resolve(string(mo.get("spec"), at));
                try {
                    net = SpecJson.read(Files.readString(specFile));
                } catch (IOException x) {
                    throw new NetbookException(at + ": cannot read " + specFile + ": " + x.getMessage(), x);
                } catch (NetbookException x) {
                    throw new NetbookException(at + ": " + specFile + ": " + x.getMessage(), x);
                }
            } else {
                throw new NetbookException(at + ": a zoo name or {\"spec\": \"file.json\"}, received " + m);
            }
            if (data.source().equals("fashion-mnist") && !net.inputShape().equals(netbook.dsl.Shape.of(1, 28, 28))) {
                throw new NetbookException(at + ": " + net.name() + " takes " + net.inputShape()
                        + " but Fashion-MNIST images are " + netbook.dsl.Shape.of(1, 28, 28) + "; pick a model ending in -small (./netbook zoo)");
            }
            String json;
            try {
                json = SpecJson.write(net);
            } catch (NetbookException x) {
                throw new NetbookException(at + ": " + x.getMessage(), x);
            }
            out.add(new Model(net.name(), json));
        }
        return List.copyOf(out);
    }

    static void checkKeys(JsonObject o, Set<String> allowed, String where) {
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw new NetbookException(where + ": unknown key \"" + k + "\"; the keys are " + new java.util.TreeSet<>(allowed));
            }
        }
    }

    static JsonObject object(JsonElement e, String where) {
        if (!e.isJsonObject()) throw new NetbookException(where + " is a JSON object, received " + e);
        return e.getAsJsonObject();
    }

    static String string(JsonElement e, String where) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) throw new NetbookException(where + " is a string, received " + e);
        return e.getAsString();
    }

    static double number(JsonElement e, String where) {
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) throw new NetbookException(where + " is a number, received " + e);
        return e.getAsDouble();
    }

    static long whole(JsonElement e, String where) {
        double v = number(e, where);
        if (v != Math.rint(v)) throw new NetbookException(where + " is a whole number, received " + e);
        return (long) v;
    }

    /**
     * The training settings of one trial. Augment: padding of random crops with flips, or -1 for none;
     * erase: the probability of random erasing ({@link netbook.data.Augment#withErasing}), 0 for none.
     */
    public record Settings(String optimizer, double lr, double momentum, double weightDecay, String schedule,
                           int batch, int epochs, int augment, double erase, long seed) implements java.io.Serializable {
        /** One trial's settings as the columns of the results table. */
        Map<String, Object> columns() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("optimizer", optimizer);
            m.put("lr", lr);
            m.put("momentum", momentum);
            m.put("weight_decay", weightDecay);
            m.put("schedule", schedule);
            m.put("batch", batch);
            m.put("epochs", epochs);
            m.put("augment", augment);
            m.put("erase", erase);
            m.put("seed", (int) seed);
            return m;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s lr=%g%s%s %s batch=%d epochs=%d%s%s seed=%d", optimizer, lr,
                    momentum != 0 ? " momentum=" + momentum : "", weightDecay != 0 ? " wd=" + weightDecay : "",
                    schedule, batch, epochs, augment >= 0 ? " augment=" + augment : "", erase > 0 ? " erase=" + erase : "", seed);
        }
    }

    /** The grid (every combination, in file order) and the seeded random search. */
    static final class Search {
        private Search() {}

        /** The settings keys and their defaults: a setting not named in the file takes its default. */
        static final Map<String, Object> DEFAULTS = defaults();

        private static Map<String, Object> defaults() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("optimizer", "adam");
            d.put("lr", 0.003);
            d.put("momentum", 0.0);
            d.put("weight_decay", 0.0);
            d.put("schedule", "cosine");
            d.put("batch", 128L);
            d.put("epochs", 1L);
            d.put("augment", -1L);
            d.put("erase", 0.0);
            d.put("seed", 42L);
            return d;
        }

        static List<Settings> grid(JsonObject g, String where) {
            checkKeys(g, DEFAULTS.keySet(), where);
            List<Map<String, Object>> combos = new ArrayList<>();
            combos.add(new LinkedHashMap<>());
            for (String key : DEFAULTS.keySet()) {
                List<Object> values = g.has(key) ? values(g.get(key), key, where) : List.of(DEFAULTS.get(key));
                List<Map<String, Object>> next = new ArrayList<>();
                for (Map<String, Object> c : combos) {
                    for (Object v : values) {
                        Map<String, Object> n = new LinkedHashMap<>(c);
                        n.put(key, v);
                        next.add(n);
                    }
                }
                combos = next;
            }
            if (combos.size() > 10_000) throw new NetbookException(where + " has " + combos.size() + " combinations; use \"random\" with a number of trials");
            return combos.stream().map(c -> settings(c, where)).toList();
        }

        static List<Settings> random(JsonObject r, String where) {
            Set<String> keys = new java.util.HashSet<>(DEFAULTS.keySet());
            keys.add("trials");
            keys.add("draw_seed");
            checkKeys(r, keys, where);
            if (!r.has("trials")) throw new NetbookException(where + ": say how many trials to draw with \"trials\": N");
            long n = whole(r.get("trials"), where + ": \"trials\"");
            if (n < 1 || n > 10_000) throw new NetbookException(where + ": \"trials\" is between 1 and 10000, received " + n);
            // The draw's own seed ("seed" is the training seed, drawn like any other setting).
            long drawSeed = r.has("draw_seed") ? whole(r.get("draw_seed"), where + ": \"draw_seed\"") : 0;
            Random rng = new Random(drawSeed);
            List<Settings> out = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                Map<String, Object> c = new LinkedHashMap<>();
                for (String key : DEFAULTS.keySet()) {
                    JsonElement e = r.get(key);
                    if (e == null) {
                        c.put(key, DEFAULTS.get(key));
                    } else if (e.isJsonObject()) {
                        c.put(key, range(e.getAsJsonObject(), key, where, rng));
                    } else {
                        List<Object> vs = values(e, key, where);
                        c.put(key, vs.get(rng.nextInt(vs.size())));
                    }
                }
                out.add(settings(c, where));
            }
            return out;
        }

        private static Object range(JsonObject o, String key, String where, Random rng) {
            String at = where + ": \"" + key + "\"";
            checkKeys(o, Set.of("uniform", "log-uniform"), at);
            if (o.size() != 1) throw new NetbookException(at + " is {\"uniform\": [low, high]} or {\"log-uniform\": [low, high]}");
            String kind = o.keySet().iterator().next();
            JsonElement b = o.get(kind);
            if (!b.isJsonArray() || b.getAsJsonArray().size() != 2) throw new NetbookException(at + ": \"" + kind + "\" is [low, high]");
            double lo = number(b.getAsJsonArray().get(0), at), hi = number(b.getAsJsonArray().get(1), at);
            if (!(lo < hi)) throw new NetbookException(at + ": low " + lo + " is not below high " + hi);
            if (kind.equals("log-uniform") && lo <= 0) throw new NetbookException(at + ": a log-uniform range is positive, received low " + lo);
            if (!(DEFAULTS.get(key) instanceof Double)) throw new NetbookException(at + ": a range is for a real-valued setting (lr, momentum, weight_decay)");
            double u = rng.nextDouble();
            return kind.equals("uniform") ? lo + u * (hi - lo) : Math.exp(Math.log(lo) + u * (Math.log(hi) - Math.log(lo)));
        }

        private static List<Object> values(JsonElement e, String key, String where) {
            String at = where + ": \"" + key + "\"";
            List<JsonElement> items = new ArrayList<>();
            if (e.isJsonArray()) {
                e.getAsJsonArray().forEach(items::add);
                if (items.isEmpty()) throw new NetbookException(at + " is an empty list");
            } else {
                items.add(e);
            }
            Object kind = DEFAULTS.get(key);
            List<Object> out = new ArrayList<>();
            for (JsonElement v : items) {
                if (kind instanceof String) out.add(string(v, at));
                else if (kind instanceof Long) out.add(whole(v, at));
                else out.add(number(v, at));
            }
            return out;
        }

        private static Settings settings(Map<String, Object> c, String where) {
            String optimizer = ((String) c.get("optimizer")).toLowerCase(Locale.ROOT);
            if (!Set.of("adam", "sgd").contains(optimizer)) throw new NetbookException(where + ": \"optimizer\" is adam or sgd, received " + c.get("optimizer"));
            String schedule = ((String) c.get("schedule")).toLowerCase(Locale.ROOT);
            if (!Set.of("constant", "cosine", "linear").contains(schedule)) {
                throw new NetbookException(where + ": \"schedule\" is constant, cosine or linear, received " + c.get("schedule"));
            }
            double lr = (Double) c.get("lr");
            if (!(lr > 0)) throw new NetbookException(where + ": \"lr\" must be positive, received " + lr);
            double momentum = (Double) c.get("momentum");
            if (momentum < 0 || momentum >= 1) throw new NetbookException(where + ": \"momentum\" is in [0, 1), received " + momentum);
            if (momentum != 0 && optimizer.equals("adam")) throw new NetbookException(where + ": \"momentum\" is for sgd; adam keeps its own moments");
            double wd = (Double) c.get("weight_decay");
            if (wd < 0) throw new NetbookException(where + ": \"weight_decay\" is zero or more, received " + wd);
            long batch = (Long) c.get("batch"), epochs = (Long) c.get("epochs"), augment = (Long) c.get("augment");
            if (batch < 1 || batch > 65_536) throw new NetbookException(where + ": \"batch\" is between 1 and 65536, received " + batch);
            if (epochs < 1 || epochs > 10_000) throw new NetbookException(where + ": \"epochs\" is between 1 and 10000, received " + epochs);
            if (augment < -1 || augment > 64) throw new NetbookException(where + ": \"augment\" is a crop padding from 0 to 64 pixels, or -1 for none, received " + augment);
            double erase = (Double) c.get("erase");
            if (!(erase >= 0 && erase <= 1)) throw new NetbookException(where + ": \"erase\" is a probability from 0 to 1, received " + erase);
            return new Settings(optimizer, lr, momentum, wd, schedule, (int) batch, (int) epochs, (int) augment, erase, (Long) c.get("seed"));
        }
    }
}
