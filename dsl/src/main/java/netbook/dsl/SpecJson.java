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
 * is a record; its components are written by name with its class under {@code "@type"}.
 * Lambda layers hold code, not data, and cannot be written: the error names their block path.
 * <pre>String json = SpecJson.write(net);   Net same = SpecJson.read(json);</pre>
 */
public final class SpecJson {
    private SpecJson() {}

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
        JsonArray in = o.getAsJsonArray("input");
        long[] dims = new long[in.size()];
        for (int i = 0; i < dims.length; i++) dims[i] = in.get(i).getAsLong();
        Sequential body = (Sequential) fromJson(o.get("body"), Sequential.class, "body");
        return Net.of(o.get("name").getAsString(), Shape.of(dims), body);
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
            o.addProperty("@type", Node.class.getName());
            o.addProperty("name", n.name());
            o.add("layer", toJson(n.layer(), path.isEmpty() ? n.name() : path + "." + n.name()));
            return o;
        }
        Class<?> c = v.getClass();
        if (!c.isRecord() || v instanceof netbook.dsl.spec.LambdaLayer) {
            String type = v instanceof Layer l ? l.type() : c.getName();
            throw new NetbookException((path.isEmpty() ? "" : path + " ") + "(" + type + "): cannot be saved: "
                    + "only record specs are data; a lambda or anonymous layer holds code. Write it as a record implementing CustomLayer");
        }
        JsonObject o = new JsonObject();
        o.addProperty("@type", c.getName());
        for (RecordComponent rc : c.getRecordComponents()) {
            try {
                java.lang.reflect.Method accessor = rc.getAccessor();
                accessor.setAccessible(true); // user records may be package-private
                o.add(rc.getName(), toJson(accessor.invoke(v), path));
            } catch (ReflectiveOperationException e) {
                throw new NetbookException(path + ": cannot read " + c.getSimpleName() + "." + rc.getName(), e);
            }
        }
        return o;
    }

    private static Object fromJson(JsonElement e, Class<?> type, String where) {
        if (e == null || e.isJsonNull()) return null;
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
        JsonObject o = e.getAsJsonObject();
        String cls = o.get("@type").getAsString();
        Class<?> c;
        try {
            c = Class.forName(cls, true, Thread.currentThread().getContextClassLoader() != null
                    ? Thread.currentThread().getContextClassLoader() : SpecJson.class.getClassLoader());
        } catch (ClassNotFoundException ex) {
            throw new NetbookException(where + ": spec class " + cls + " is not on the class path", ex);
        }
        if (c == Node.class) {
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
            k.setAccessible(true);
            return k.newInstance(args);
        } catch (java.lang.reflect.InvocationTargetException ex) {
            throw new NetbookException(where + ": invalid " + c.getSimpleName() + ": " + ex.getCause().getMessage(), ex.getCause());
        } catch (ReflectiveOperationException ex) {
            throw new NetbookException(where + ": cannot rebuild " + cls + ": " + ex.getMessage(), ex);
        }
    }
}
