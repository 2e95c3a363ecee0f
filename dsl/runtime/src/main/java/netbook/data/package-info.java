/**
 * Data: in-memory {@link netbook.data.ArrayDataset}s, seeded {@link netbook.data.Batches}, and
 * readers such as {@link netbook.data.FashionMnist} (IDX files, with errors that name the file).
 */
package netbook.data;
