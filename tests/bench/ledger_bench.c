/*
 * ledger_bench.c — helpers for the ledger benchmarks (make bench).
 *
 *   ledger_bench append N     append N events in batches of 1,000 to the
 *                             ledger in the current folder; prints events/s
 *   ledger_bench sodium       bare libsodium: verify every stored event's
 *                             signature over the same DSSE messages, single
 *                             threaded; prints the milliseconds of the loop
 *                             alone (loading and encoding are not timed)
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ledger/ledger.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	hw_ledger l;
	hw_seckey k;
	char path[4096];

	if (hw_crypto_init() || argc < 2)
		return 2;
	if (!strcmp(argv[1], "append") && argc == 3) {
		long n = atol(argv[2]);
		hw_append items[1000];
		double t0;

		if (hw_seckey_find(&k, path, sizeof(path)) ||
		    hw_ledger_open(&l, HW_LEDGER_DB, 1))
			return fprintf(stderr, "%s\n", hw_error_last()), 3;
		for (int i = 0; i < 1000; i++) {
			items[i].kind = "bench";
			items[i].payload_type = "application/json";
			items[i].payload = "{\"check\": \"bench\", \"pass\": true}";
			items[i].payload_len = strlen(items[i].payload);
		}
		t0 = now();
		for (long done = 0; done < n; done += 1000)
			if (hw_ledger_append(&l, items, 1000, "", &k, NULL))
				return fprintf(stderr, "%s\n", hw_error_last()), 3;
		printf("%.0f\n", (double)n / (now() - t0));
		hw_ledger_close(&l);
		return 0;
	}
	if (!strcmp(argv[1], "sodium")) {
		hw_event_list list;
		hw_buf enc, pae;
		unsigned char **msgs;
		size_t *lens;
		double t0;
		long bad = 0;

		if (hw_seckey_find(&k, path, sizeof(path)) ||
		    hw_ledger_open(&l, HW_LEDGER_DB, 0) ||
		    hw_ledger_load(&l, &list))
			return fprintf(stderr, "%s\n", hw_error_last()), 3;
		msgs = malloc(list.n * sizeof(*msgs));
		lens = malloc(list.n * sizeof(*lens));
		hw_buf_init(&enc, 0);
		hw_buf_init(&pae, 0);
		for (size_t i = 0; i < list.n; i++) {
			hw_event_encode(&enc, &list.items[i]);
			hw_event_pae(&pae, enc.data, enc.len);
			lens[i] = pae.len;
			msgs[i] = malloc(pae.len);
			memcpy(msgs[i], pae.data, pae.len);
		}
		t0 = now();
		for (size_t i = 0; i < list.n; i++)
			bad += crypto_sign_verify_detached(list.items[i].sig,
							   msgs[i], lens[i],
							   k.pub.pk) != 0;
		printf("%.1f\n", (now() - t0) * 1000);
		return bad ? 4 : 0;
	}
	return 2;
}
