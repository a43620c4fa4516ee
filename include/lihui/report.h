/* SPDX-License-Identifier: MIT */
/*
 * report.h: pure parsing for status reports: section keywords, metric
 * words ("signups=1240", "conversion=3.1%"), trailing @mentions.
 */
#ifndef LIHUI_REPORT_H
#define LIHUI_REPORT_H

#include <stddef.h>

#define METRIC_NAME_MAX 64
#define METRIC_UNIT_MAX 16
#define USER_NAME_MAX	64

struct metric_value {
	char name[METRIC_NAME_MAX + 1];
	double value;
	char unit[METRIC_UNIT_MAX + 1]; /* "", "%" or e.g. "ms", "元" */
};

/**
 * Parse one "name=value[unit]" word. The name is 1..METRIC_NAME_MAX bytes
 * of UTF-8 without '=' or spaces; the value a decimal number (sign,
 * digits, optional fraction, optional thousands commas: "1,240"); the unit
 * '%' or up to METRIC_UNIT_MAX bytes that do not start with a digit.
 * Returns 0, or one of enum metric_error with *cause naming the word (in
 * English, for logs; the command layer words it for the user).
 */
enum metric_error {
	METRIC_NOT_PAIR = -1, /* no '=' */
	METRIC_BAD_NAME = -2, /* empty or too long name */
	METRIC_BAD_VALUE = -3 /* not a number, or a bad unit */
};
int report_parse_metric(const char *word, struct metric_value *out,
			char **cause);

/**
 * Whether word is a user mention "@name" with a valid name; copies the
 * name without '@' into out (USER_NAME_MAX + 1 bytes).
 */
int report_parse_mention(const char *word, char *out);

/** "done"/"完成" ... -> enum section_kind, or -1. */
int report_section_parse(const char *word);
/** The English keyword of a section ("done"). */
const char *report_section_keyword(int section);

/**
 * Parse a list of section keywords ("done,plan blocker") into a bit set;
 * -1 with *cause on an unknown word or an empty list.
 */
int report_sections_parse(const char *text, unsigned *out, char **cause);

#endif
