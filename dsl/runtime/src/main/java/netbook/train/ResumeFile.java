package netbook.train;

import netbook.files.AtomicFiles;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import netbook.dsl.NetbookException;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.Table;

/**
 * The resume checkpoint of a training run, {@code DIR/NAME.resume}: one zip written atomically
 * after every epoch with the model's state arrays, the optimiser's moments and update count, the
 * learning-rate scale, how far the run got and its metrics so far. Loading checks that every
 * array has the name and shape the model expects and says which does not.
 */
final class ResumeFile {
    private static final Gson GSON = new GsonBuilder().serializeNulls().create();
    private final Path file;

    ResumeFile(Path dir, String name) {
        this.file = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".resume");
    }

    Path file() { return file; }

    boolean exists() { return Files.isRegularFile(file); }

    record Loaded(int epoch, long step, Table epochs, Table steps) {}

    void save(int epoch, long step, Map<String, Object> fingerprint, List<Pair<String, NDArray>> state, TrainingLoop.Updater updater, Table epochs, Table steps) {
        Map<String, Object> progress = new LinkedHashMap<>();
        progress.put("format", 1);
        progress.put("epoch", epoch);
        progress.put("step", step);
        progress.put("updates", updater.updates());
        progress.put("lr_scale", updater.scale());
        progress.put("run", new java.util.TreeMap<>(fingerprint));
        try {
            byte[] stateBytes = arrays(state.stream().map(Pair::getValue).toList(), state.stream().map(Pair::getKey).toList());
            List<NDArray> opt = updater.state();
            List<String> optNames = new ArrayList<>();
            for (int i = 0; i < opt.size(); i++) optNames.add("optimizer/" + i);
            byte[] optBytes = arrays(opt, optNames);
            AtomicFiles.write(file, os -> {
                try (ZipOutputStream zip = new ZipOutputStream(os)) {
                    put(zip, "progress.json", GSON.toJson(progress).getBytes(StandardCharsets.UTF_8));
                    put(zip, "state.bin", stateBytes);
                    put(zip, "optimizer.bin", optBytes);
                    put(zip, "epochs.json", GSON.toJson(columns(epochs)).getBytes(StandardCharsets.UTF_8));
                    if (steps != null) put(zip, "steps.json", GSON.toJson(columns(steps)).getBytes(StandardCharsets.UTF_8));
                }
            });
        } catch (IOException e) {
            throw new NetbookException("checkpoint " + file + ": could not be written after epoch " + epoch + " (" + e.getMessage() + ")", e);
        }
    }

    Loaded load(List<Pair<String, NDArray>> state, TrainingLoop.Updater updater, Map<String, Object> fingerprint) {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) entries.put(e.getName(), zip.readAllBytes());
        } catch (ZipException | java.io.EOFException e) {
            throw new NetbookException("checkpoint " + file + " is corrupt or truncated (" + e.getMessage() + "); delete it to start over", e);
        } catch (IOException e) {
            throw new NetbookException("checkpoint " + file + ": could not be read (" + e.getMessage() + ")", e);
        }
        for (String needed : new String[] {"progress.json", "state.bin", "optimizer.bin", "epochs.json"}) {
            if (!entries.containsKey(needed)) {
                throw new NetbookException("checkpoint " + file + " has no " + needed + "; it is damaged or not a resume checkpoint: delete it to start over");
            }
        }
        Map<?, ?> progress;
        try {
            progress = GSON.fromJson(new String(entries.get("progress.json"), StandardCharsets.UTF_8), Map.class);
        } catch (RuntimeException e) {
            throw new NetbookException("checkpoint " + file + ": progress.json is damaged (" + e.getMessage() + ")", e);
        }
        Map<String, Object> expected = GSON.fromJson(GSON.toJson(new java.util.TreeMap<>(fingerprint)), Map.class);
        Object found = progress.get("run");
        if (found instanceof Map<?, ?> run) {
            for (var e : expected.entrySet()) {
                if (!java.util.Objects.equals(e.getValue(), run.get(e.getKey()))) {
                    throw new NetbookException("checkpoint " + file + " was written by a run with " + e.getKey() + " = " + run.get(e.getKey())
                            + ", this run has " + e.getValue() + "; resume with the same settings or delete the checkpoint");
                }
            }
        }
        int epoch = number(progress, "epoch").intValue();
        long step = number(progress, "step").longValue();
        boolean gradMode = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = NDManager.newBaseManager()) {
            List<NDArray> saved = read(m, entries.get("state.bin"), "state.bin");
            List<String> names = names(entries.get("state.bin"));
            if (saved.size() != state.size()) {
                throw new NetbookException("checkpoint " + file + " holds " + saved.size() + " arrays but the model has " + state.size()
                        + "; it was written for another network");
            }
            for (int i = 0; i < saved.size(); i++) {
                Pair<String, NDArray> target = state.get(i);
                if (!names.get(i).equals(target.getKey()) || !saved.get(i).getShape().equals(target.getValue().getShape())) {
                    throw new NetbookException("checkpoint " + file + ": array " + i + " is " + names.get(i) + " " + saved.get(i).getShape()
                            + " but the model's is " + target.getKey() + " " + target.getValue().getShape() + "; it was written for another network");
                }
            }
            List<NDArray> opt = read(m, entries.get("optimizer.bin"), "optimizer.bin");
            List<NDArray> optTarget = updater.state();
            if (opt.size() != optTarget.size()) {
                throw new NetbookException("checkpoint " + file + " holds " + opt.size() + " optimiser arrays, this run's optimiser has "
                        + optTarget.size() + "; resume with the optimiser it was written with");
            }
            for (int i = 0; i < saved.size(); i++) saved.get(i).copyTo(state.get(i).getValue());
            for (int i = 0; i < opt.size(); i++) {
                if (!opt.get(i).getShape().equals(optTarget.get(i).getShape())) {
                    throw new NetbookException("checkpoint " + file + ": optimiser array " + i + " has shape " + opt.get(i).getShape()
                            + ", expected " + optTarget.get(i).getShape());
                }
                opt.get(i).copyTo(optTarget.get(i));
            }
            updater.restore(optTarget, number(progress, "updates").intValue(), number(progress, "lr_scale").doubleValue());
        } finally {
            JniUtils.setGradMode(gradMode);
        }
        Table epochs = table(entries.get("epochs.json"));
        Table steps = entries.containsKey("steps.json") ? table(entries.get("steps.json")) : null;
        return new Loaded(epoch, step, epochs, steps);
    }

    private Number number(Map<?, ?> progress, String key) {
        if (!(progress.get(key) instanceof Number n)) {
            throw new NetbookException("checkpoint " + file + ": progress.json has no number '" + key + "'; it is damaged");
        }
        return n;
    }

    private static byte[] arrays(List<NDArray> arrays, List<String> names) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(arrays.size());
            for (int i = 0; i < arrays.size(); i++) {
                out.writeUTF(names.get(i));
                byte[] encoded = arrays.get(i).encode();
                out.writeInt(encoded.length);
                out.write(encoded);
            }
        }
        return bytes.toByteArray();
    }

    private List<NDArray> read(NDManager m, byte[] data, String entry) {
        List<NDArray> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                in.readUTF();
                byte[] encoded = new byte[in.readInt()];
                in.readFully(encoded);
                out.add(NDArray.decode(m, encoded));
            }
        } catch (IOException | RuntimeException e) {
            throw new NetbookException("checkpoint " + file + ": " + entry + " is damaged (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private List<String> names(byte[] data) {
        List<String> out = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(data))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                out.add(in.readUTF());
                in.skipNBytes(in.readInt());
            }
        } catch (IOException e) {
            throw new NetbookException("checkpoint " + file + ": state.bin is damaged (" + e.getMessage() + ")", e);
        }
        return out;
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    /** A numeric table as {name, type, values} columns; missing values as null. Doubles round-trip exactly. */
    private static List<Map<String, Object>> columns(Table t) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : t.columnNames()) {
            var c = t.column(name);
            List<Object> values = new ArrayList<>();
            for (int i = 0; i < t.rowCount(); i++) {
                if (c.isMissing(i)) values.add(null);
                else values.add(c instanceof IntColumn ic ? (Object) ic.get(i) : (Object) ((DoubleColumn) c).get(i));
            }
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", name);
            col.put("type", c instanceof IntColumn ? "int" : "double");
            col.put("values", values);
            out.add(col);
        }
        return out;
    }

    private Table table(byte[] json) {
        Table t = Table.create();
        try {
            List<?> cols = GSON.fromJson(new String(json, StandardCharsets.UTF_8), List.class);
            for (Object o : cols) {
                Map<?, ?> col = (Map<?, ?>) o;
                String name = (String) col.get("name");
                List<?> values = (List<?>) col.get("values");
                if ("int".equals(col.get("type"))) {
                    IntColumn c = IntColumn.create(name);
                    for (Object v : values) if (v == null) c.appendMissing(); else c.append(((Number) v).intValue());
                    t.addColumns(c);
                } else {
                    DoubleColumn c = DoubleColumn.create(name);
                    for (Object v : values) if (v == null) c.appendMissing(); else c.append(((Number) v).doubleValue());
                    t.addColumns(c);
                }
            }
        } catch (RuntimeException e) {
            throw new NetbookException("checkpoint " + file + ": its metrics are damaged (" + e.getMessage() + ")", e);
        }
        return t;
    }
}
