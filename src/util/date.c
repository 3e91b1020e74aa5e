/*
 * date.c — calendar dates as hwledger's inputs write them: YYYY-MM-DD (a
 * waiver's expiry, --today, a price's date) or, where a source gives only
 * the month, YYYY-MM; day counts between them; today's date in UTC.
 */
#include "util.h"

#include <string.h>
#include <time.h>

/* The number in s[at..at+len) when every character is a digit, else -1. */
static int digits(const char *s, size_t at, size_t len)
{
	int v = 0;

	for (size_t k = at; k < at + len; k++) {
		if (s[k] < '0' || s[k] > '9')
			return -1;
		v = v * 10 + (s[k] - '0');
	}
	return v;
}

int hw_date_parse(const char *s, int allow_month, int ymd[3])
{
	static const int days[] = {31, 29, 31, 30, 31, 30,
				   31, 31, 30, 31, 30, 31};
	size_t len = strlen(s);

	if (!(len == 10 || (allow_month && len == 7)) || s[4] != '-' ||
	    (len == 10 && s[7] != '-'))
		return 0;
	ymd[0] = digits(s, 0, 4);
	ymd[1] = digits(s, 5, 2);
	ymd[2] = len == 10 ? digits(s, 8, 2) : 1;
	if (!(ymd[0] >= 1970 && ymd[1] >= 1 && ymd[1] <= 12 && ymd[2] >= 1 &&
	      ymd[2] <= days[ymd[1] - 1]))
		return 0;
	/* February 29th only in a leap year */
	return !(ymd[1] == 2 && ymd[2] == 29 &&
		 (ymd[0] % 4 || (ymd[0] % 100 == 0 && ymd[0] % 400)));
}

long hw_date_days(const int ymd[3])
{
	/* days from civil, after H. Hinnant */
	long y = ymd[0] - (ymd[1] <= 2), m = ymd[1], era, yoe, doy, doe;

	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + ymd[2] - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void hw_today(char out[11])
{
	hw_date_of(time(NULL), out);
}

static int utc(time_t t, int with_time, char *out, size_t size)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) ||
	    !strftime(out, size, with_time ? "%Y-%m-%dT%H:%M:%SZ" : "%Y-%m-%d",
		      &tm)) {
		snprintf(out, size, "?");
		return -1;
	}
	return 0;
}

int hw_date_of(time_t t, char out[11])
{
	return utc(t, 0, out, 11);
}

int hw_time_of(time_t t, char out[21])
{
	return utc(t, 1, out, 21);
}
