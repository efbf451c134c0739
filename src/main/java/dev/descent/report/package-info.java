/**
 * Run records: per-epoch loss histories as CSV and run summaries as JSON, written atomically
 * (temporary file, then rename) so an interrupted write never leaves a half-written file.
 */
package dev.descent.report;
