/**
 * Netbook's runtime: the compiler to DJL, the training engine, losses, data, checkpoints, the
 * environment, and the per-paper code (VQ-VAE, PCRec).
 *
 * <p>{@code netbook.internal.djl} is not exported: it is how a spec becomes DJL blocks, and it
 * changes without notice. Its public road is {@code netbook.train.Fit},
 * {@code TrainedModel.djlModel()} and {@code Blocks.define}. A project on the module path that
 * imports it fails to compile ("package netbook.internal.djl is declared in module
 * netbook.runtime, which does not export it"); notebook cells and {@code ./netbook jshell}
 * compile against a jar without it.
 */
module netbook.runtime {
    exports netbook.data;
    exports netbook.engine;
    exports netbook.env;
    exports netbook.loss;
    exports netbook.pcrec;
    exports netbook.train;
    exports netbook.vq;

    requires transitive netbook.dsl;
    // NDArray, Device, Model and Block appear in the public API.
    requires transitive ai.djl.api;
    // Thread settings and the CPU convolution guard talk to the PyTorch engine directly.
    requires ai.djl.pytorch_engine;
    requires com.google.gson;
    // ./netbook env reads the JVM's page option (HotSpotDiagnosticMXBean).
    requires jdk.management;

    provides netbook.dsl.SpecJson.SpecTypes with netbook.vq.VqLibrary;
    provides netbook.zoo.Zoo.Library with netbook.vq.VqLibrary;
}
