/*
 * test_probes.c — the vendor-output parsers and the command runner, on the
 * broken outputs real tools produce: truncated CSV, missing columns, units
 * where numbers belong, garbage, hangs, floods.
 */
#include "harness.h"

#include <math.h>

#include "probes/probes.h"

static hw_probe p;

/* Verifies: FR-PROBE-001, FR-PROBE-004 */
static void test_nvidia_smi_csv_good_and_broken_lines(void **state)
{
	const char *csv =
		"NVIDIA A100-SXM4-80GB, GPU-1, 00000000:07:00.0, 81920, 100, 81820, 5, 30, 60.5, 400.00, 1410, 1593\n"
		"NVIDIA L4, GPU-2, 00000000:08:00.0, 23034, 0, 23034, [N/A], 40, [Not Supported], 72.00, 2040\n"
		"Tesla T4, GPU-3, 0000:09:00.0, 15360 MiB, abc, -5, 0, 0, 0, 0, 0, 0\n"
		"\n";

	(void)state;
	memset(&p, 0, sizeof(p));
	assert_int_equal(hw_parse_nvidia_smi_csv(&p, csv, strlen(csv)), HW_OK);
	assert_int_equal(p.ngpus, 3);
	assert_string_equal(p.gpus[0].r[GR_NAME].text, "NVIDIA A100-SXM4-80GB");
	assert_true(p.gpus[0].r[GR_MEM_TOTAL].value == 81920.0 * 1048576);
	assert_true(p.gpus[0].r[GR_POWER].value == 60.5);
	assert_int_equal(p.gpus[1].r[GR_UTIL].status, HW_READ_UNSUPPORTED);
	assert_int_equal(p.gpus[1].r[GR_POWER].status, HW_READ_UNSUPPORTED);
	assert_true(p.gpus[1].r[GR_POWER].value == 0);
	/* the line stopped one column short */
	assert_int_equal(p.gpus[1].r[GR_CLOCK_MEM].status, HW_READ_ERROR);
	assert_non_null(strstr(p.gpus[1].r[GR_CLOCK_MEM].reason, "11 of 12"));
	/* units in a nounits field, letters, negatives: errors, not zeros */
	assert_int_equal(p.gpus[2].r[GR_MEM_TOTAL].status, HW_READ_ERROR);
	assert_non_null(strstr(p.gpus[2].r[GR_MEM_TOTAL].reason, "not a number"));
	assert_int_equal(p.gpus[2].r[GR_MEM_USED].status, HW_READ_ERROR);
	assert_int_equal(p.gpus[2].r[GR_MEM_FREE].status, HW_READ_ERROR);
	assert_int_equal(p.gpus[2].r[GR_UTIL].status, HW_READ_OK);
}

/* Verifies: FR-PROBE-002 */
static void test_rocm_smi_and_system_profiler_garbage(void **state)
{
	const char *rocm = "{\"card0\": {\"Card series\": \"Radeon\", "
			   "\"VRAM Total Memory (B)\": \"lots\", "
			   "\"GPU use (%)\": 7, \"Temperature (Sensor edge) (C)\": "
			   "\"N/A\"}, \"system\": {}}";

	(void)state;
	memset(&p, 0, sizeof(p));
	hw_parse_rocm_smi_json(&p, "WARNING: garbage", 16);
	assert_int_equal(p.amd.status, HW_READ_ERROR);
	assert_int_equal(p.ngpus, 0);
	hw_parse_rocm_smi_json(&p, rocm, strlen(rocm));
	assert_int_equal(p.ngpus, 1);
	assert_int_equal(p.gpus[0].r[GR_MEM_TOTAL].status, HW_READ_ERROR);
	assert_non_null(strstr(p.gpus[0].r[GR_MEM_TOTAL].reason, "'lots'"));
	assert_true(p.gpus[0].r[GR_UTIL].value == 7);
	assert_int_equal(p.gpus[0].r[GR_TEMP].status, HW_READ_UNSUPPORTED);
	assert_int_equal(p.gpus[0].r[GR_MEM_FREE].status, HW_READ_UNSUPPORTED);
	memset(&p, 0, sizeof(p));
	{
		const char *sp = "{\"SPDisplaysDataType\": [{}], "
				 "\"SPHardwareDataType\": [{\"physical_memory\": "
				 "\"many\"}]}";

		hw_parse_system_profiler(&p, sp, strlen(sp));
	}
	assert_int_equal(p.ngpus, 1);
	assert_int_equal(p.gpus[0].r[GR_MEM_TOTAL].status, HW_READ_ERROR);
	hw_parse_system_profiler(&p, "[", 1);
	assert_int_equal(p.apple.status, HW_READ_ERROR);
	/* numbers that are no readings (fuzz_probes found these): a
	 * negative number, a size beyond a double, an infinity or a NaN */
	memset(&p, 0, sizeof(p));
	{
		const char *neg = "{\"card0\": {\"GPU use (%)\": -5}}";
		const char *huge = "{\"SPDisplaysDataType\": [{}], "
				   "\"SPHardwareDataType\": [{\"physical_memory\": "
				   "\"1e308 TB\"}]}";
		hw_reading r;

		hw_parse_rocm_smi_json(&p, neg, strlen(neg));
		assert_int_equal(p.gpus[0].r[GR_UTIL].status, HW_READ_ERROR);
		assert_non_null(strstr(p.gpus[0].r[GR_UTIL].reason, "negative"));
		hw_parse_system_profiler(&p, huge, strlen(huge));
		assert_int_equal(p.gpus[1].r[GR_MEM_TOTAL].status, HW_READ_ERROR);
		hw_parse_nvidia_smi_csv(&p, "A, B, C, 9e307, 1, 1\n", 20);
		assert_int_equal(p.gpus[2].r[GR_MEM_TOTAL].status, HW_READ_ERROR);
		hw_reading_ok(&r, NAN, "W");
		assert_int_equal(r.status, HW_READ_ERROR);
		hw_reading_ok(&r, -INFINITY, "W");
		assert_string_equal(r.reason, "not a finite number");
	}
}

/* Verifies: FR-PROBE-002 */
static void test_macmon_live_apple_readings_and_garbage(void **state)
{
	const char *sp = "{\"SPDisplaysDataType\": [{\"sppci_model\": \"Apple M2 "
			 "Ultra\"}], \"SPHardwareDataType\": "
			 "[{\"physical_memory\": \"192 GB\"}]}";
	const char *two = "{\"memory\": {\"ram_total\": 1000, \"ram_usage\": 1}, "
			  "\"gpu_usage\": [1, 0.5]}\n"
			  "{\"memory\": {\"ram_total\": 206158430208, "
			  "\"ram_usage\": 120259084288}, \"gpu_usage\": [1398, "
			  "0.4375], \"temp\": {\"gpu_temp_avg\": 52.5}, "
			  "\"gpu_power\": 38.25}\n\n";
	const char *odd = "{\"memory\": {\"ram_total\": 100, \"ram_usage\": 200}, "
			  "\"gpu_usage\": [1, 1.5], \"temp\": {}, \"gpu_power\": -1}";
	const hw_gpu_probe *g = &p.gpus[0];

	(void)state;
	memset(&p, 0, sizeof(p));
	hw_parse_system_profiler(&p, sp, strlen(sp));
	hw_parse_macmon(&p, two, strlen(two));
	assert_int_equal(p.ngpus, 1);
	assert_string_equal(g->source, "system_profiler+macmon");
	/* the last sample counts; memory is the Mac's unified memory */
	assert_true(g->r[GR_MEM_TOTAL].value == 192.0 * 1073741824);
	assert_true(g->r[GR_MEM_USED].value == 120259084288.0);
	assert_true(g->r[GR_MEM_FREE].value == 192.0 * 1073741824 - 120259084288.0);
	assert_non_null(strstr(g->r[GR_MEM_FREE].reason, "unified"));
	assert_true(g->r[GR_UTIL].value == 43.75);
	assert_string_equal(g->r[GR_UTIL].unit, "%");
	assert_true(g->r[GR_CLOCK_SM].value == 1398);
	assert_true(g->r[GR_TEMP].value == 52.5);
	assert_true(g->r[GR_POWER].value == 38.25);
	assert_int_equal(g->r[GR_UUID].status, HW_READ_UNSUPPORTED);
	/* garbage: the live readings are errors, the known total stays */
	hw_parse_macmon(&p, "Error: IOReport\n", 16);
	assert_int_equal(g->r[GR_MEM_USED].status, HW_READ_ERROR);
	assert_int_equal(g->r[GR_POWER].status, HW_READ_ERROR);
	assert_non_null(strstr(g->r[GR_UTIL].reason, "not a JSON object"));
	assert_int_equal(g->r[GR_MEM_TOTAL].status, HW_READ_OK);
	/* impossible values are errors, never clamped or zeroed */
	memset(&p, 0, sizeof(p));
	hw_parse_macmon(&p, odd, strlen(odd));
	assert_int_equal(p.ngpus, 1);
	assert_string_equal(g->source, "macmon");
	assert_true(g->r[GR_MEM_TOTAL].value == 100);
	assert_int_equal(g->r[GR_MEM_USED].status, HW_READ_ERROR);
	assert_non_null(strstr(g->r[GR_MEM_USED].reason, "above"));
	assert_int_equal(g->r[GR_MEM_FREE].status, HW_READ_ERROR);
	assert_int_equal(g->r[GR_UTIL].status, HW_READ_ERROR);
	assert_non_null(strstr(g->r[GR_UTIL].reason, "out of range"));
	assert_int_equal(g->r[GR_TEMP].status, HW_READ_ERROR);
	assert_non_null(strstr(g->r[GR_TEMP].reason, "temp.gpu_temp_avg missing"));
	assert_int_equal(g->r[GR_POWER].status, HW_READ_ERROR);
	hw_parse_macmon(&p, "{\"gpu_usage\": 3}", 16);
	assert_non_null(strstr(g->r[GR_UTIL].reason, "no gpu_usage"));
	assert_int_equal(g->r[GR_CLOCK_SM].status, HW_READ_ERROR);
}

/* Verifies: FR-PROBE-003 */
static void test_meminfo_and_cpuinfo_odd_inputs(void **state)
{
	const char *mem = "MemTotal:  abc kB\nMemAvailable: 2048 kB\n";
	const char *cpu = "processor : 0\nprocessor : 1\nModel : Raspberry Pi 4\n";

	(void)state;
	memset(&p, 0, sizeof(p));
	hw_parse_meminfo(&p, mem, strlen(mem));
	assert_int_equal(p.host_r[HR_MEM_TOTAL].status, HW_READ_ERROR);
	assert_true(p.host_r[HR_MEM_AVAILABLE].value == 2048.0 * 1024);
	assert_int_equal(p.host_r[HR_HUGEPAGES_TOTAL].status, HW_READ_UNSUPPORTED);
	hw_parse_cpuinfo(&p, cpu, strlen(cpu));
	assert_string_equal(p.host_r[HR_CPU_MODEL].text, "Raspberry Pi 4");
	assert_true(p.host_r[HR_THREADS].value == 2);
	assert_int_equal(p.host_r[HR_CORES].status, HW_READ_UNSUPPORTED);
	hw_parse_cpuinfo(&p, "", 0);
	assert_int_equal(p.host_r[HR_THREADS].status, HW_READ_ERROR);
	/* a slice of a larger output (a remote host's section): the numbers
	 * end where the slice ends, even when digits follow in memory
	 * (fuzz_probes found strtol reading past it) */
	{
		const char *big = "processor : 0\nphysical id : 0\ncore id : 1\n"
				  "core id : 123\nMemTotal: 4096 kB\n";
		const char *m = strstr(big, "MemTotal");

		/* the slice ends after "core id : 1" of the second core line */
		hw_parse_cpuinfo(&p, big, (size_t)(strstr(big, "23") - big));
		assert_true(p.host_r[HR_CORES].value == 1);
		hw_parse_meminfo(&p, m, (size_t)(strchr(m, '0') - m));
		assert_true(p.host_r[HR_MEM_TOTAL].value == 4 * 1024);
	}
	/* ids that are not small whole numbers count as no id */
	{
		const char *ids = "processor : 0\nphysical id : 99999999999999\n"
				  "core id : -3\n";

		hw_parse_cpuinfo(&p, ids, strlen(ids));
	}
	assert_int_equal(p.host_r[HR_CORES].status, HW_READ_UNSUPPORTED);
	/* a number too large for a double is an error, not infinity */
	hw_parse_meminfo(&p, "MemTotal: 1e400 kB\n", 19);
	assert_int_equal(p.host_r[HR_MEM_TOTAL].status, HW_READ_ERROR);
}

/* The state letter of process pid (/proc/PID/stat), 0 when it is gone. */
static int process_state(int pid)
{
	char path[64], line[512], *end;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if (!(f = fopen(path, "r")))
		return 0;
	end = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	fclose(f);
	return end && end[1] == ' ' ? end[2] : 0;
}

/* Verifies: FR-PROBE-004 */
static void test_runner_kills_hangs_caps_floods_and_finds_missing_tools(
	void **state)
{
	hw_cmd_result r;
	char *hang[] = {"sleep", "30", NULL};
	char *flood[] = {"head", "-c", "3000000", "/dev/zero", NULL};
	char *none[] = {"hwledger-no-such-tool", NULL};
	char *ok[] = {"sh", "-c", "echo hello; exit 3", NULL};
	char *reads[] = {"sh", "-c", "read x; echo \"[$x]\"; echo to stderr >&2",
			 NULL};
	char *group[] = {"sh", "-c", "sleep 30 & echo $!; exec sleep 30", NULL};
	int grandchild, st = 0;

	(void)state;
	assert_int_equal(hw_run(&r, hang, 0.3, 1024), HW_OK);
	assert_true(r.timed_out);
	assert_int_equal(r.status, -1);
	hw_cmd_result_free(&r);
	assert_int_equal(hw_run(&r, flood, 10, 1000), HW_OK);
	assert_true(r.truncated);
	assert_int_equal(r.out.len, 1000);
	hw_cmd_result_free(&r);
	assert_int_equal(hw_run(&r, none, 5, 1000), HW_OK);
	assert_true(r.not_found);
	hw_cmd_result_free(&r);
	assert_int_equal(hw_run(&r, ok, 5, 1000), HW_OK);
	assert_int_equal(r.status, 3);
	assert_string_equal(r.out.data, "hello\n");
	hw_cmd_result_free(&r);
	/* stdin is /dev/null: a tool that reads it ends at once */
	assert_int_equal(hw_run(&r, reads, 5, 1000), HW_OK);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out.data, "[]\n");
	assert_string_equal(r.err.data, "to stderr\n");
	hw_cmd_result_free(&r);
	/* a hang is killed with its whole process group: the child it
	 * started is gone too (reaped by init, or a zombie at worst); 2 s
	 * for the shell to say which child, however loaded the machine */
	assert_int_equal(hw_run(&r, group, 2, 1000), HW_OK);
	assert_true(r.timed_out);
	grandchild = atoi(r.out.data);
	assert_true(grandchild > 1);
	for (int i = 0; i < 500 && (st = process_state(grandchild)) &&
			strchr("RSD", st);
	     i++)
		usleep(10000);
	assert_true(st == 0 || st == 'Z');
	hw_cmd_result_free(&r);
}

/* Verifies: FR-PROBE-005 */
static void test_probe_checks_judge_every_host(void **state)
{
	hw_probe two[2];
	cJSON *r = NULL;
	const char *spec = "{\"name\": \"n\", \"expect\": {\"gpus_min\": 1, "
			   "\"readings\": \"ok-or-unsupported\", "
			   "\"host_memory_min_bytes\": 1000}}";

	(void)state;
	memset(two, 0, sizeof(two));
	two[0].reachable = 1;
	snprintf(two[0].host, sizeof(two[0].host), "a");
	hw_reading_ok(&two[0].host_r[HR_MEM_TOTAL], 4096, "bytes");
	two[0].ngpus = 1;
	snprintf(two[1].host, sizeof(two[1].host), "b");
	hw_reading_set(&two[1].error, HW_READ_ERROR, "refused");
	hw_test_write("c.json", spec, strlen(spec));
	assert_int_equal(hw_probe_check_file(&r, "c.json", two, 2), HW_OK);
	assert_false(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
	/* host a passes all three; host b fails all three */
	assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(r, "failures")), 3);
	cJSON_Delete(r);
	{
		const char *d = "{\"name\": \"n\", \"expect\": {\"gpus_min\": \"x\"}}";

		hw_test_write("d.json", d, strlen(d));
	}
	assert_int_equal(hw_probe_check_file(&r, "d.json", two, 1), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "must be a number"));
}

/* A reading of the fleet's probe document that is not ok said no reason
 * when the document gave none, and GPUs past the 64th were dropped. */
/* Verifies: FR-PROBE-001 */
static void test_probe_json_from_the_fleet_keeps_reasons_and_gpus(void **state)
{
	hw_buf doc;
	cJSON *j;

	(void)state;
	j = cJSON_Parse("{\"host\": \"h\", \"reachable\": false, "
			"\"error\": {\"status\": \"error\", \"reason\": \"\"}, "
			"\"system\": {\"cores\": {\"status\": \"unsupported\"}}, "
			"\"backends\": {}, \"gpus\": []}");
	assert_int_equal(hw_probe_read_json(&p, j), HW_OK);
	assert_int_equal(p.error.status, HW_READ_ERROR);
	assert_string_equal(p.error.reason, "no reason given");
	assert_int_equal(p.host_r[HR_CORES].status, HW_READ_UNSUPPORTED);
	assert_string_equal(p.host_r[HR_CORES].reason, "no reason given");
	cJSON_Delete(j);
	hw_buf_init(&doc, 0);
	assert_int_equal(hw_buf_puts(&doc, "{\"host\": \"h\", \"system\": {}, "
					   "\"backends\": {}, \"gpus\": ["),
			 0);
	for (int i = 0; i < HW_PROBE_MAX_GPUS + 1; i++)
		assert_int_equal(hw_buf_puts(&doc, i ? ", {}" : "{}"), 0);
	assert_int_equal(hw_buf_puts(&doc, "]}"), 0);
	j = cJSON_Parse(doc.data);
	assert_int_equal(hw_probe_read_json(&p, j), HW_EINVAL);
	assert_non_null(strstr(hw_error_last(), "65 GPUs"));
	cJSON_Delete(j);
	hw_buf_free(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nvidia_smi_csv_good_and_broken_lines),
		cmocka_unit_test(test_rocm_smi_and_system_profiler_garbage),
		cmocka_unit_test(test_macmon_live_apple_readings_and_garbage),
		cmocka_unit_test(test_meminfo_and_cpuinfo_odd_inputs),
		cmocka_unit_test(
			test_runner_kills_hangs_caps_floods_and_finds_missing_tools),
		hw_tmp_test(test_probe_checks_judge_every_host),
		cmocka_unit_test(
			test_probe_json_from_the_fleet_keeps_reasons_and_gpus),
	};

	return cmocka_run_group_tests_name("probes", tests, NULL, NULL);
}
