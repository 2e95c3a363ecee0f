package netbook.train;

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
 * A checkpoint is one zip file: {@code spec.json} (the network, so loading rebuilds it),
 * {@code params.bin} (DJL's parameter stream), {@code stamp.json}, {@code metrics.csv} and, for a
 * model of table rows, {@code encoding.json} (how rows become inputs).
 * It is written to a temporary name and renamed, so a crash never leaves a half-written one.
 */
final class Checkpoint {
    private Checkpoint() {}

    static void save(Path file, Net net, Block block, Stamp stamp, Table metrics, netbook.data.Tabular.Encoding encoding) throws IOException {
        String spec = SpecJson.write(net); // fails before anything is written if the spec holds code
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(params)) {
            block.saveParameters(out);
        }
        AtomicFiles.write(file, os -> {
            try (ZipOutputStream zip = new ZipOutputStream(os)) {
                put(zip, "spec.json", spec.getBytes(StandardCharsets.UTF_8));
                put(zip, "params.bin", params.toByteArray());
                put(zip, "stamp.json", stamp.toJson().getBytes(StandardCharsets.UTF_8));
                if (metrics != null) put(zip, "metrics.csv", csv(metrics).getBytes(StandardCharsets.UTF_8));
                if (encoding != null) put(zip, "encoding.json", new com.google.gson.Gson().toJson(encoding).getBytes(StandardCharsets.UTF_8));
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
        for (String needed : new String[] {"spec.json", "params.bin", "stamp.json"}) {
            if (!entries.containsKey(needed)) {
                throw new NetbookException("checkpoint " + file + " has no " + needed + "; it is not a Netbook checkpoint or is damaged");
            }
        }
        Net net = SpecJson.read(new String(entries.get("spec.json"), StandardCharsets.UTF_8));
        Model model = Model.newInstance(net.name(), Env.devices()[0]);
        model.setBlock(Compiler.compile(net));
        model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32,
                new ai.djl.ndarray.types.Shape(net.inputShape().withBatch(1)));
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(entries.get("params.bin")))) {
            model.getBlock().loadParameters(model.getNDManager(), in);
        } catch (ai.djl.MalformedModelException | IOException e) {
            model.close();
            throw new NetbookException("checkpoint " + file + ": parameters do not fit the stored network ("
                    + e.getMessage() + ")", e);
        }
        Map<?, ?> s = new com.google.gson.Gson().fromJson(new String(entries.get("stamp.json"), StandardCharsets.UTF_8), Map.class);
        Stamp stamp = new Stamp(((Number) s.get("seed")).longValue(), (String) s.get("netbook"), (String) s.get("djl"),
                (String) s.get("engine"), (String) s.get("devices"), (String) s.get("data_sha256"));
        Table metrics = null;
        if (entries.containsKey("metrics.csv")) {
            metrics = Table.read().csv(new java.io.StringReader(new String(entries.get("metrics.csv"), StandardCharsets.UTF_8)));
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
        return TrainedModel.loaded(net, model, stamp, metrics, encoding);
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
