/**
 * Run records and figures: the record of a run ({@code RunRecord}: status, training block, parameters),
 * per-epoch histories as CSV and summaries as JSON (written atomically), line charts with XChart, and the
 * hand-drawn heat and contour maps (sweep grids, loss surfaces with one or several trajectories) with
 * round ticks, as PNG and SVG.
 */
package dev.descent.report;
