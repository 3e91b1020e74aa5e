/*
 * svg.c — inline SVG charts written in C: a stacked bar of where a GPU's
 * memory goes, the context x batch heatmap of a planner sweep, and the
 * trend line of verified FRs. Each chart has a title and a text
 * alternative for screen readers.
 */
#include "internal.h"

#include <math.h>

#define GIB 1073741824.0

static const char *const palette[] = {"#3b6fb6", "#d9822b", "#4c9a5b",
				      "#8e6bbf", "#b84a4a", "#6b7a8f"};

/* Implements: FR-SITE-001 */
int svg_stacked_bar(hw_buf *b, const char *const *labels, const double *values,
		    size_t n, double capacity)
{
	double total = 0, scale, x = 0;
	const double width = 600;
	int err;

	for (size_t i = 0; i < n; i++)
		total += values[i] > 0 ? values[i] : 0;
	scale = capacity > total ? capacity : total;
	if (scale <= 0)
		scale = 1;
	err = hw_buf_printf(b,
			    "<figure class=\"chart\"><svg viewBox=\"0 0 %d 56"
			    "\" role=\"img\" aria-label=\"memory per GPU: %.2f "
			    "GiB%s\" preserveAspectRatio=\"none\">",
			    (int)width + 2, total / GIB,
			    capacity > 0 ? " of the GPU's memory" : "");
	for (size_t i = 0; i < n && !err; i++) {
		double w = values[i] > 0 ? values[i] / scale * width : 0;

		err = hw_buf_printf(b,
				    "<rect x=\"%.1f\" y=\"4\" width=\"%.1f\" "
				    "height=\"28\" fill=\"%s\"><title>%s: %.2f "
				    "GiB</title></rect>",
				    1 + x, w, palette[i % 6], labels[i],
				    values[i] / GIB);
		x += w;
	}
	if (!err && capacity > 0)
		err = hw_buf_printf(
			b,
			"<rect x=\"1\" y=\"2\" width=\"%.1f\" "
			"height=\"32\" fill=\"none\" stroke=\"currentC"
			"olor\" stroke-dasharray=\"4 2\"><title>GPU "
			"memory %.2f GiB</title></rect>",
			capacity / scale * width, capacity / GIB);
	err = err ? err : hw_buf_puts(b, "</svg><figcaption>");
	for (size_t i = 0; i < n && !err; i++)
		err = hw_buf_printf(b,
				    "<span class=\"key\"><svg class=\"swatch\" "
				    "viewBox=\"0 0 10 10\" aria-hidden=\"true\">"
				    "<rect width=\"10\" height=\"10\" fill=\"%s\">"
				    "</rect></svg>%s %.2f GiB</span> ",
				    palette[i % 6], labels[i], values[i] / GIB);
	return err ? err : hw_buf_puts(b, "</figcaption></figure>\n");
}

/* Implements: FR-SITE-001 */
int svg_heatmap(hw_buf *b, const cJSON *sweep)
{
	const cJSON *ctx = cJSON_GetObjectItem(sweep, "ctx");
	const cJSON *batch = cJSON_GetObjectItem(sweep, "batch");
	const cJSON *rows = cJSON_GetObjectItem(sweep, "per_gpu_bytes");
	const cJSON *memj = cJSON_GetObjectItem(sweep, "gpu_memory_bytes");
	double mem = cJSON_IsNumber(memj) ? memj->valuedouble : 0;
	int nc = cJSON_GetArraySize(ctx), nb = cJSON_GetArraySize(batch);
	const int cw = 64, ch = 26, left = 70, top = 24;
	int err;

	if (nc <= 0 || nb <= 0 || nc > 64 || nb > 64 ||
	    cJSON_GetArraySize(rows) != nb)
		return hw_buf_puts(b, "<p class=\"muted\">The sweep has no "
				      "grid to draw.</p>\n");
	err = hw_buf_printf(b,
			    "<figure class=\"chart\"><svg viewBox=\"0 0 %d %d"
			    "\" role=\"img\" aria-label=\"memory per GPU for "
			    "%d contexts by %d batch sizes; red cells do not "
			    "fit\">",
			    left + nc * cw + 2, top + nb * ch + 2, nc, nb);
	for (int c = 0; c < nc && !err; c++)
		err = hw_buf_printf(b,
				    "<text x=\"%d\" y=\"16\" text-anchor=\""
				    "middle\">%gk</text>",
				    left + c * cw + cw / 2,
				    cJSON_GetArrayItem(ctx, c)->valuedouble /
					    1024);
	for (int r = 0; r < nb && !err; r++) {
		const cJSON *row = cJSON_GetArrayItem(rows, r);

		err = hw_buf_printf(b,
				    "<text x=\"%d\" y=\"%d\" text-anchor=\"end"
				    "\">batch %g</text>",
				    left - 6, top + r * ch + 17,
				    cJSON_GetArrayItem(batch, r)->valuedouble);
		for (int c = 0; c < nc && !err; c++) {
			const cJSON *v = cJSON_GetArrayItem(row, c);
			double bytes = cJSON_IsNumber(v) ? v->valuedouble : NAN;
			double u = mem > 0 ? bytes / mem : NAN;
			const char *fill = isnan(u)    ? "#9aa5b1"
					   : u <= 0.60 ? "#4c9a5b"
					   : u <= 0.85 ? "#d6b43a"
					   : u <= 1.00 ? "#d9822b"
						       : "#b84a4a";

			err = hw_buf_printf(
				b,
				"<rect x=\"%d\" y=\"%d\" width=\"%d"
				"\" height=\"%d\" fill=\"%s\"><title>"
				"%.1f GiB</title></rect>",
				left + c * cw, top + r * ch, cw - 2, ch - 2,
				fill, bytes / GIB);
		}
	}
	return err ? err
		   : hw_buf_puts(b, "</svg><figcaption>Green ≤ 60% of "
				    "the GPU, yellow ≤ 85%, orange ≤ 100%, "
				    "red does not fit.</figcaption>"
				    "</figure>\n");
}

/* Implements: FR-SITE-001 */
int svg_trend(hw_buf *b, const double *values, size_t n, double max)
{
	const double w = 600, h = 80;
	int err;

	if (!n)
		return HW_OK;
	if (max <= 0)
		max = 1;
	err = hw_buf_printf(
		b,
		"<figure class=\"chart\"><svg viewBox=\"0 0 %d %d"
		"\" role=\"img\" aria-label=\"verified FRs over %zu "
		"events, last %g\"><polyline fill=\"none\" stroke="
		"\"currentColor\" stroke-width=\"2\" points=\"",
		(int)w, (int)h + 4, n, values[n - 1]);
	for (size_t i = 0; i < n && !err; i++)
		err = hw_buf_printf(b, "%.1f,%.1f ",
				    n > 1 ? (double)i * w / (double)(n - 1)
					  : w / 2,
				    2 + h - values[i] / max * h);
	return err ? err : hw_buf_puts(b, "\"/></svg></figure>\n");
}
