/**
 * The model zoo: classic CNNs written with Netbook's layer vocabulary, one family per file, each
 * checked against its published parameter count (the reference and its source are listed in
 * {@link netbook.zoo.Zoo}).
 * {@link netbook.zoo.Zoo} lists them by name and compares them in one table; every family also
 * has a small variant for 1x28x28 Fashion-MNIST.
 * <pre>
 * Net net = Zoo.get("inception-v3-aux");      // 27,161,264 parameters
 * Net tiny = GoogLeNet.of().small().aux(true).classes(10).build();             // with both auxiliary heads
 * System.out.println(Zoo.table().print());
 * </pre>
 */
package netbook.zoo;
