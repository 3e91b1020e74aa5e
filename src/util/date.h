/*
 * util/date.h — calendar dates.
 */
#ifndef HW_UTIL_DATE_H
#define HW_UTIL_DATE_H

#include <time.h>

/*
 * "YYYY-MM-DD" (or "YYYY-MM" when allow_month; its day is the 1st) into
 * ymd: 1 when it is a date from 1970 on with a real month and a day that
 * month can have (February up to 29), else 0.
 */
int hw_date_parse(const char *s, int allow_month, int ymd[3]);
/* Days since 1970-01-01 of a parsed date. */
long hw_date_days(const int ymd[3]);
/* Today in UTC as "YYYY-MM-DD". */
void hw_today(char out[11]);

/*
 * A time in seconds since 1970, in UTC: hw_date_of as "YYYY-MM-DD",
 * hw_time_of as ISO 8601 "YYYY-MM-DDTHH:MM:SSZ". A time whose year has
 * more than four digits (only a corrupt or hostile record has one) is
 * written "?" and the call returns -1; otherwise 0.
 */
int hw_date_of(time_t t, char out[11]);
int hw_time_of(time_t t, char out[21]);

#endif
