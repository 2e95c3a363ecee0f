package netbook.dsl;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import netbook.dsl.spec.Sequential;

/**
 * A network's spec tree as JSON and back, so a checkpoint rebuilds the same network. Every spec
 * is a record; its components are written by name with a stable short type name under
 * {@code "@type"} ({@code "conv2d"}, {@code "residual"}, ...). Reading resolves type names through
 * an allow-list (Netbook's spec types, and custom layers you {@link #register}), so a checkpoint
 * never makes the JVM load or initialise a class it names, and it survives a class being moved.
 * Checkpoints of the first format, with class names, still load when the class is on the list.
 * Lambda layers hold code, not data, and cannot be written: the error names their block path.
 * <pre>String json = SpecJson.write(net);   Net same = SpecJson.read(json);
 * SpecJson.register("scale", Scale.class);   // a custom layer, before saving or loading it</pre>
 */
public final class SpecJson {
    private SpecJson() {}

    private static final java.util.Map<String, Class<?>> BY_NAME = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<Class<?>, String> BY_CLASS = new java.util.concurrent.ConcurrentHashMap<>();

    static {
        Object[][] builtIn = {
            {"node", Node.class},
            {"sequential", netbook.dsl.spec.Sequential.class}, {"branches", netbook.dsl.spec.Branches.class},
            {"residual", netbook.dsl.spec.Residual.class}, {"aux-head", netbook.dsl.spec.AuxHead.class},
            {"conv2d", netbook.dsl.spec.Conv2d.class}, {"conv-transpose2d", netbook.dsl.spec.ConvTranspose2d.class},
            {"batch-norm", netbook.dsl.spec.BatchNorm.class}, {"layer-norm", netbook.dsl.spec.LayerNorm.class},
            {"lrn", netbook.dsl.spec.LocalResponseNorm.class}, {"activation", netbook.dsl.spec.Activation.class},
            {"pool2d", netbook.dsl.spec.Pool2d.class}, {"adaptive-avg-pool", netbook.dsl.spec.AdaptiveAvgPool.class},
            {"dropout", netbook.dsl.spec.Dropout.class}, {"flatten", netbook.dsl.spec.Flatten.class},
            {"reshape", netbook.dsl.spec.Reshape.class}, {"linear", netbook.dsl.spec.Linear.class},
            {"embedding", netbook.dsl.spec.Embedding.class}, {"normalize", netbook.dsl.spec.Normalize.class},
        };
        for (Object[] t : builtIn) {
            BY_NAME.put((String) t[0], (Class<?>) t[1]);
            BY_CLASS.put((Class<?>) t[1], (String) t[0]);
        }
        // Spec types of the modules on the class path (the runtime's VQ layers), found without
        // this module depending on them.
        for (SpecTypes library : java.util.ServiceLoader.load(SpecTypes.class, SpecJson.class.getClassLoader())) {
            library.types().forEach((name, type) -> {
                BY_NAME.put(name, type);
                BY_CLASS.put(type, name);
            });
        }
    }

    /**
     * Spec types a library adds to the allow-list under stable names, listed in its
     * {@code META-INF/services/netbook.dsl.SpecJson$SpecTypes}; read once, when SpecJson is first used.
     */
    public interface SpecTypes {
        java.util.Map<String, Class<? extends Record>> types();
    }

    /**
     * Allows a custom layer record in saved networks under a stable name: call it before saving
     * or loading a network that holds one. Names of Netbook's own types cannot be taken.
     */
    public static void register(String name, Class<? extends Record> type) {
        if (name == null || !name.matches("[a-z0-9][a-z0-9._-]*")) {
            throw new NetbookException("SpecJson.register: a type name is lower-case letters, digits, '.', '_' or '-', received " + name);
        }
        if (type == null || !Layer.class.isAssignableFrom(type)) {
            throw new NetbookException("SpecJson.register(" + name + "): " + type + " is not a layer record");
        }
        Class<?> taken = BY_NAME.putIfAbsent(name, type);
        if (taken != null && taken != type) {
            throw new NetbookException("SpecJson.register: the name " + name + " is already " + taken.getName());
        }
        String old = BY_CLASS.putIfAbsent(type, name);
        if (old != null && !old.equals(name)) {
            BY_NAME.remove(name);
            throw new NetbookException("SpecJson.register: " + type.getName() + " is already registered as " + old);
        }
    }

    /** A record with a function among its components (a lambda layer) holds code, not data. */
    private static boolean holdsCode(Class<?> record) {
        for (RecordComponent rc : record.getRecordComponents()) {
            if (rc.getType().getPackageName().equals("java.util.function")) return true;
        }
        return false;
    }

    public static String write(Net net) {
        JsonObject o = new JsonObject();
        o.addProperty("format", "netbook-spec/1");
        o.addProperty("name", net.name());
        JsonArray in = new JsonArray();
        for (long d : net.inputShape().dims()) in.add(d);
        o.add("input", in);
        o.add("body", toJson(net.body(), ""));
        return new GsonBuilder().setPrettyPrinting().create().toJson(o);
    }

    public static Net read(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new NetbookException("network spec is not valid JSON: " + e.getMessage(), e);
        }
        if (!o.has("format") || !"netbook-spec/1".equals(o.get("format").getAsString())) {
            throw new NetbookException("network spec has format " + o.get("format") + ", expected \"netbook-spec/1\"");
        }
        for (String key : new String[] {"name", "input", "body"}) {
            if (!o.has(key)) throw new NetbookException("network spec has no \"" + key + "\"; it is damaged");
        }
        long[] dims = (long[]) fromJson(o.get("input"), long[].class, "input");
        Object body = fromJson(o.get("body"), Sequential.class, "body");
        if (!(body instanceof Sequential seq)) throw new NetbookException("network spec: the body is not a sequence");
        return Net.of(o.get("name").getAsString(), Shape.of(dims), seq);
    }

    private static JsonElement toJson(Object v, String path) {
        if (v == null) return com.google.gson.JsonNull.INSTANCE;
        if (v instanceof Number n) return new JsonPrimitive(n);
        if (v instanceof Boolean b) return new JsonPrimitive(b);
        if (v instanceof String s) return new JsonPrimitive(s);
        if (v instanceof Enum<?> e) return new JsonPrimitive(e.name());
        if (v instanceof long[] a) {
            JsonArray arr = new JsonArray();
            for (long x : a) arr.add(x);
            return arr;
        }
        if (v instanceof int[] a) {
            JsonArray arr = new JsonArray();
            for (int x : a) arr.add(x);
            return arr;
        }
        if (v instanceof double[] a) {
            JsonArray arr = new JsonArray();
            for (double x : a) arr.add(x);
            return arr;
        }
        if (v instanceof List<?> list) {
            JsonArray arr = new JsonArray();
            for (Object x : list) arr.add(toJson(x, path));
            return arr;
        }
        if (v instanceof Node n) {
            JsonObject o = new JsonObject();
            o.addProperty("@type", "node");
            o.addProperty("name", n.name());
            o.add("layer", toJson(n.layer(), path.isEmpty() ? n.name() : path + "." + n.name()));
            return o;
        }
        Class<?> c = v.getClass();
        if (!c.isRecord() || holdsCode(c)) {
            String type = v instanceof Layer l ? l.type() : c.getName();
            throw new NetbookException((path.isEmpty() ? "" : path + " ") + "(" + type + "): cannot be saved: "
                    + "only record specs are data; a lambda or anonymous layer holds code. Write it as a record implementing CustomLayer");
        }
        String typeName = BY_CLASS.get(c);
        if (typeName == null) {
            throw new NetbookException((path.isEmpty() ? "" : path + " ") + "(" + (v instanceof Layer l ? l.type() : c.getSimpleName())
                    + "): cannot be saved: " + c.getName() + " is not a registered spec type; call SpecJson.register(\"a-name\", "
                    + c.getSimpleName() + ".class) once, before saving and before loading");
        }
        JsonObject o = new JsonObject();
        o.addProperty("@type", typeName);
        for (RecordComponent rc : c.getRecordComponents()) {
            try {
                java.lang.reflect.Method accessor = rc.getAccessor();
                openTo(accessor, c, path);
                o.add(rc.getName(), toJson(accessor.invoke(v), path));
            } catch (ReflectiveOperationException e) {
                throw new NetbookException(path + ": cannot read " + c.getSimpleName() + "." + rc.getName(), e);
            }
        }
        return o;
    }

    /** User records may be package-private; on the module path their package must also be open to this module. */
    private static void openTo(java.lang.reflect.AccessibleObject member, Class<?> c, String where) {
        try {
            member.setAccessible(true);
        } catch (java.lang.reflect.InaccessibleObjectException e) {
            String pkg = c.getPackageName();
            throw new NetbookException((where.isEmpty() ? "" : where + " ") + "(" + c.getSimpleName() + "): cannot read the spec type "
                    + c.getName() + ": module " + c.getModule().getName() + " does not open package " + pkg
                    + " to netbook.dsl; add `opens " + pkg + " to netbook.dsl;` to its module-info.java", e);
        }
    }

    private static String abbreviate(JsonElement e) {
        String s = String.valueOf(e);
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }

    private static Object fromJson(JsonElement e, Class<?> type, String where) {
        if (e == null || e.isJsonNull()) return null;
        try {
            return fromJsonChecked(e, type, where);
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException | ClassCastException ex) {
            throw new NetbookException(where + ": expected " + type.getSimpleName() + ", received " + abbreviate(e), ex);
        }
    }

    private static Object fromJsonChecked(JsonElement e, Class<?> type, String where) {
        if (type == int.class || type == Integer.class) return e.getAsInt();
        if (type == long.class || type == Long.class) return e.getAsLong();
        if (type == double.class || type == Double.class) return e.getAsDouble();
        if (type == float.class || type == Float.class) return e.getAsFloat();
        if (type == boolean.class || type == Boolean.class) return e.getAsBoolean();
        if (type == String.class) return e.getAsString();
        if (type.isEnum()) {
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object en = Enum.valueOf((Class<Enum>) type, e.getAsString());
            return en;
        }
        if (type == long[].class) {
            JsonArray a = e.getAsJsonArray();
            long[] r = new long[a.size()];
            for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsLong();
            return r;
        }
        if (type == int[].class) {
            JsonArray a = e.getAsJsonArray();
            int[] r = new int[a.size()];
            for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsInt();
            return r;
        }
        if (type == double[].class) {
            JsonArray a = e.getAsJsonArray();
            double[] r = new double[a.size()];
            for (int i = 0; i < r.length; i++) r[i] = a.get(i).getAsDouble();
            return r;
        }
        if (type == List.class) {
            List<Object> r = new ArrayList<>();
            for (JsonElement x : e.getAsJsonArray()) r.add(fromJson(x, Object.class, where));
            return List.copyOf(r);
        }
        if (!e.isJsonObject() || !e.getAsJsonObject().has("@type") || !e.getAsJsonObject().get("@type").isJsonPrimitive()) {
            throw new NetbookException(where + ": expected a spec object with an \"@type\", received " + abbreviate(e));
        }
        JsonObject o = e.getAsJsonObject();
        String cls = o.get("@type").getAsString();
        // The allow-list, never Class.forName: a file must not choose which class the JVM loads.
        Class<?> c = BY_NAME.get(cls);
        if (c == null) {
            for (var entry : BY_CLASS.entrySet()) if (entry.getKey().getName().equals(cls)) c = entry.getKey();   // first-format class names
        }
        if (c == null) {
            throw new NetbookException(where + ": unknown spec type \"" + cls + "\"; Netbook's types and custom layers registered with "
                    + "SpecJson.register load, nothing else");
        }
        if (type != Object.class && !type.isAssignableFrom(c)) {
            throw new NetbookException(where + ": a " + cls + " where a " + type.getSimpleName() + " belongs");
        }
        if (c == Node.class) {
            if (!o.has("name") || !o.get("name").isJsonPrimitive()) throw new NetbookException(where + ": a node without a name");
            String name = o.get("name").getAsString();
            return new Node(name, (Layer) fromJson(o.get("layer"), Object.class, where + "." + name));
        }
        RecordComponent[] rcs = c.getRecordComponents();
        if (rcs == null) throw new NetbookException(where + ": " + cls + " is not a record spec");
        Object[] args = new Object[rcs.length];
        Class<?>[] types = new Class<?>[rcs.length];
        for (int i = 0; i < rcs.length; i++) {
            types[i] = rcs[i].getType();
            args[i] = fromJson(o.get(rcs[i].getName()), types[i], where);
        }
        try {
            Constructor<?> k = c.getDeclaredConstructor(types);
            openTo(k, c, where);
            return k.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException ex) {
            throw new NetbookException(where + ": invalid " + c.getSimpleName() + ": " + ex.getCause().getMessage(), ex.getCause());
        } catch (ReflectiveOperationException ex) {
            throw new NetbookException(where + ": cannot rebuild " + cls + ": " + ex.getMessage(), ex);
        }
    }
}
