/**
 * Netbook's engine-free language: layers, containers, shapes, specs, the zoo's specs and the
 * renderers. Nothing here reaches an engine, so a spec, its summary and its diagrams need no
 * native library.
 *
 * <p>On the module path, a user's own layer that is not public (a package-private record) must
 * be opened to this module, so spec JSON can read and rebuild it:
 * {@code opens my.layers to netbook.dsl;}
 */
module netbook.dsl {
    exports netbook.dsl;
    exports netbook.dsl.spec;
    exports netbook.files;
    exports netbook.render;
    exports netbook.zoo;

    // Summaries are Tablesaw tables. Tablesaw 0.44 names no module, so its jar's name stands in.
    requires transitive tablesaw.core;
    // Diagrams and figures are java.awt images.
    requires transitive java.desktop;
    requires com.google.gson;
    requires java.xml;
    // Tablesaw scans its readers with classgraph, which needs sun.misc.Unsafe; Tablesaw, an
    // automatic module, cannot ask for it, and a named application does not read it otherwise.
    requires jdk.unsupported;

    // Layer types and zoo entries that other modules add (the runtime's VQ blocks, say).
    uses netbook.dsl.SpecJson.SpecTypes;
    uses netbook.zoo.Zoo.Library;
}
