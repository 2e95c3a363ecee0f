/**
 * Pure-Java renderers shared by the Jupyter kernel and the recipes: HTML tables for Tablesaw tables
 * and model summaries, SVG line plots, and {@link netbook.render.Display}, the hook through which
 * cell code shows rich output (a front end installs a sink; the default prints text).
 */
package netbook.render;
