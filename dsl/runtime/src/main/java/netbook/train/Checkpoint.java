package netbook.train;

import netbook.env.Stamp;
import netbook.env.Env;
import netbook.files.AtomicFiles;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import netbook.dsl.Net;
import netbook.dsl.NetbookException;
import netbook.dsl.SpecJson;
import netbook.internal.djl.Compiler;
import tech.tablesaw.api.Table;

/**
 * A checkpoint is one zip file: {@code manifest.json} first (SHA-256 and length of every other
 * entry, checked on loading), {@code spec.json} (the network, so loading rebuilds it),
 * {@code params.bin} (DJL's parameter stream), {@code stamp.json}, {@code metrics.csv} and, for a
 * model of table rows, {@code encoding.json} (how rows become inputs), and for a classifier of
 * named classes, {@code classes.json} (the names, index by index).
 * It is written to a temporary name and renamed, so a crash never leaves a half-written one.
 */
final class Checkpoint {
    private Checkpoint() {}

    static void save(Path file, Net net, Block block, Stamp stamp, Table metrics, netbook.data.Tabular.Encoding encoding,
                     java.util.List<String> classNames) throws IOException {
        String spec = SpecJson.write(net); // fails before anything is written if the spec holds code
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(params)) {
            block.saveParameters(out);
        }
        Map<String, byte[]> entries = new java.util.LinkedHashMap<>();
        entries.put("spec.json", spec.getBytes(StandardCharsets.UTF_8));
        entries.put("params.bin", params.toByteArray());
        entries.put("stamp.json", stamp.toJson().getBytes(StandardCharsets.UTF_8));
        if (metrics != null) entries.put("metrics.csv", csv(metrics).getBytes(StandardCharsets.UTF_8));
        if (encoding != null) entries.put("encoding.json", new com.google.gson.Gson().toJson(encoding).getBytes(StandardCharsets.UTF_8));
        if (!classNames.isEmpty()) entries.put("classes.json", new com.google.gson.Gson().toJson(classNames).getBytes(StandardCharsets.UTF_8));
        // The manifest goes first: a file cut anywhere after it still says what it should have held.
        Map<String, Object> manifest = new java.util.LinkedHashMap<>();
        for (var e : entries.entrySet()) manifest.put(e.getKey(), Map.of("sha256", sha256(e.getValue()), "bytes", e.getValue().length));
        byte[] manifestBytes = new com.google.gson.Gson().toJson(Map.of("format", "netbook-checkpoint/2", "entries", manifest))
                .getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, os -> {
            try (ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, MANIFEST, manifestBytes);
                for (var e : entries.entrySet()) put(zip, e.getKey(), e.getValue());
            }
        });
    }

    static TrainedModel load(Path file) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                entries.put(e.getName(), zip.readAllBytes());
            }
        } catch (NoSuchFileException e) {
            throw new NetbookException("checkpoint " + file + " does not exist");
        } catch (ZipException | java.io.EOFException e) {
            throw new NetbookException("checkpoint " + file + " is corrupt or truncated (" + e.getMessage() + ")", e);
        }
        verify(file, entries);
        for (String needed : new String[] {"spec.json", "params.bin", "stamp.json"}) {
            if (!entries.containsKey(needed)) {
                throw new NetbookException("checkpoint " + file + " has no " + needed + "; it is not a Netbook checkpoint or is damaged");
            }
        }
        Net net;
        try {
            net = SpecJson.read(new String(entries.get("spec.json"), StandardCharsets.UTF_8));
        } catch (NetbookException e) {
            throw new NetbookException("checkpoint " + file + ": spec.json: " + e.getMessage(), e);
        }
        Stamp stamp = stamp(file, entries.get("stamp.json"));
        Model model = Model.newInstance(net.name(), Env.devices()[0]);
        model.setBlock(Compiler.compile(net));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32,
                new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(1)));
        java.util.List<ai.djl.ndarray.types.Shape> expected = new java.util.ArrayList<>();
        for (var p : model.getBlock().getParameters()) expected.add(p.getValue().getArray().getShape());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entries.get("params.bin")))) {
            model.getBlock().loadParameters(model.getNDManager(), in);
        } catch (ai.djl.MalformedModelException | IOException | RuntimeException e) {
            model.close();
            throw new NetbookException("checkpoint " + file + ": parameters do not fit the stored network ("
                    + e.getMessage() + ")", e);
        }
        int i = 0;
        for (var p : model.getBlock().getParameters()) {
            ai.djl.ndarray.types.Shape got = p.getValue().getArray().getShape();
            if (!got.equals(expected.get(i))) {
                model.close();
                throw new NetbookException("checkpoint " + file + ": parameter " + p.getKey() + " has shape " + got
                        + " but the stored network needs " + expected.get(i));
            }
            i++;
        }
        Table metrics = null;
        if (entries.containsKey("metrics.csv")) {
            try {
                metrics = Table.read().csv(new java.io.StringReader(new String(entries.get("metrics.csv"), StandardCharsets.UTF_8)));
            } catch (RuntimeException e) {
                model.close();
                throw new NetbookException("checkpoint " + file + ": metrics.csv is damaged (" + e.getMessage() + ")", e);
            }
        }
        netbook.data.Tabular.Encoding encoding = null;
        if (entries.containsKey("encoding.json")) {
            try {
                encoding = new com.google.gson.Gson().fromJson(new String(entries.get("encoding.json"), StandardCharsets.UTF_8),
                        netbook.data.Tabular.Encoding.class);
            } catch (RuntimeException e) {
                model.close();
                throw new NetbookException("checkpoint " + file + ": encoding.json is damaged (" + e.getMessage() + ")", e);
            }
        }
        java.util.List<String> classNames = java.util.List.of();
        if (entries.containsKey("classes.json")) {
            try {
                String[] names = new com.google.gson.Gson().fromJson(new String(entries.get("classes.json"), StandardCharsets.UTF_8), String[].class);
                long outputs = net.outputShape().rank() == 1 ? net.outputShape().dim(0) : -1;
                if (names == null || names.length != outputs || java.util.Arrays.asList(names).contains(null)) {
                    throw new IllegalStateException((names == null ? 0 : names.length) + " names for " + outputs + " outputs");
                }
                classNames = java.util.List.of(names);
            } catch (RuntimeException e) {
                model.close();
                throw new NetbookException("checkpoint " + file + ": classes.json is damaged (" + e.getMessage() + ")", e);
            }
        }
        return TrainedModel.loaded(net, model, stamp, metrics, encoding, classNames);
    }

    static final String MANIFEST = "manifest.json";

    /**
     * Checks every entry against the manifest (SHA-256 and length) and that none is missing or
     * extra; checkpoints written before manifests existed have none and are read as they are.
     */
    private static void verify(Path file, Map<String, byte[]> entries) {
        if (!entries.containsKey(MANIFEST)) return;
        Map<?, ?> listed;
        try {
            Map<?, ?> m = new com.google.gson.Gson().fromJson(new String(entries.get(MANIFEST), StandardCharsets.UTF_8), Map.class);
            listed = (Map<?, ?>) m.get("entries");
            if (listed == null) throw new IllegalStateException("no entries");
        } catch (RuntimeException e) {
            throw new NetbookException("checkpoint " + file + ": its manifest is damaged (" + e.getMessage() + ")", e);
        }
        for (var e : listed.entrySet()) {
            String name = String.valueOf(e.getKey());
            byte[] data = entries.get(name);
            if (data == null) throw new NetbookException("checkpoint " + file + ": " + name + " is missing (the file is cut short or damaged)");
            Map<?, ?> want = (Map<?, ?>) e.getValue();
            long bytes = ((Number) want.get("bytes")).longValue();
            if (data.length != bytes) {
                throw new NetbookException("checkpoint " + file + ": " + name + " has " + data.length + " bytes, the manifest says " + bytes);
            }
            if (!sha256(data).equals(want.get("sha256"))) {
                throw new NetbookException("checkpoint " + file + ": " + name + " does not match its SHA-256 in the manifest (the file is damaged)");
            }
        }
        for (String name : entries.keySet()) {
            if (!name.equals(MANIFEST) && !listed.containsKey(name)) {
                throw new NetbookException("checkpoint " + file + ": " + name + " is not in the manifest (the file was altered)");
            }
        }
    }

    private static Stamp stamp(Path file, byte[] json) {
        try {
            Map<?, ?> s = new com.google.gson.Gson().fromJson(new String(json, StandardCharsets.UTF_8), Map.class);
            // checkpoints written before the stamp held the CPU, thread count and numerics still load
            Object cpu = s.get("cpu");
            Object threads = s.get("threads");
            Object numerics = s.get("numerics");
            return new Stamp(((Number) s.get("seed")).longValue(), (String) s.get("netbook"), (String) s.get("djl"),
                    (String) s.get("engine"), (String) s.get("devices"), cpu == null ? "unknown" : (String) cpu,
                    threads == null ? 0 : ((Number) threads).intValue(), numerics == null ? "unknown" : (String) numerics,
                    (String) s.get("data_sha256"));
        } catch (RuntimeException e) {
            throw new NetbookException("checkpoint " + file + ": stamp.json is damaged (" + e + ")", e);
        }
    }

    static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }

    static String csv(Table t) {
        java.io.StringWriter w = new java.io.StringWriter();
        t.write().csv(w);
        return w.toString();
    }
}
