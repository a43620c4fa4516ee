/* SPDX-License-Identifier: MIT */
/*
 * report.c: pure parsing for status reports (section keywords, metric
 * words, mentions); see report.h.
 */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lihui/report.h"
#include "lihui/store.h"
#include "lihui/utf8.h"
#include "lihui/xmalloc.h"

static const struct {
	const char *en;
	const char *zh;
} report_keywords[SECTION_COUNT] = {
	[SECTION_DONE] = { "done", "完成" },
	[SECTION_PLAN] = { "plan", "计划" },
	[SECTION_BLOCKER] = { "blocker", "问题" },
	[SECTION_METRIC] = { "metric", "数据" },
	[SECTION_NEED] = { "need", "资源" },
};

int
report_section_parse(const char *word)
{
	int i;

	for (i = 0; i < SECTION_COUNT; i++) {
		if (strcmp(word, report_keywords[i].en) == 0 ||
		    strcmp(word, report_keywords[i].zh) == 0)
			return i;
	}
	return -1;
}

const char *
report_section_keyword(int section)
{
	if (section < 0 || section >= SECTION_COUNT)
		return "?";
	return report_keywords[section].en;
}

/*
 * Length of the list separator at p, 0 if none: ASCII space, tab and comma,
 * and the full-width comma and enumeration comma Chinese input gives.
 */
static size_t
report_separator_len(const char *p)
{
	if (*p == ' ' || *p == ',' || *p == '\t')
		return 1;
	if (strncmp(p, "\xef\xbc\x8c", 3) == 0 || /* U+FF0C ， */
	    strncmp(p, "\xe3\x80\x81", 3) == 0)	  /* U+3001 、 */
		return 3;
	return 0;
}

int
report_sections_parse(const char *text, unsigned *out, char **cause)
{
	char word[32];
	const char *p = text;
	size_t n, k;
	int s;
	unsigned set = 0;

	for (;;) {
		while ((k = report_separator_len(p)) != 0)
			p += k;
		if (*p == '\0')
			break;
		for (n = 0; p[n] != '\0' && report_separator_len(p + n) == 0;)
			n++;
		if (n >= sizeof word)
			return set_cause(cause, "unknown section '%.*s'",
					 (int)utf8_cut(p, n, 24), p);
		memcpy(word, p, n);
		word[n] = '\0';
		s = report_section_parse(word);
		if (s < 0)
			return set_cause(cause, "unknown section '%s'", word);
		set |= 1u << s;
		p += n;
	}
	if (set == 0)
		return set_cause(cause, "no section given");
	*out = set;
	return 0;
}

int
report_parse_mention(const char *word, char *out)
{
	size_t n, i;

	if (word[0] != '@')
		return 0;
	n = strlen(word + 1);
	if (n == 0 || n > USER_NAME_MAX)
		return 0;
	for (i = 1; i <= n; i++) {
		char c = word[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '-'))
			return 0;
	}
	memcpy(out, word + 1, n + 1);
	return 1;
}

/* Parse the number at s (digits, optional commas between groups of three,
 * optional fraction); *end is set past it. -1 if there is no number. */
static int
report_parse_number(const char *s, double *out, const char **end)
{
	char digits[64];
	size_t n = 0, group = 0;
	int seen_digit = 0, seen_comma = 0;
	const char *p = s;

	if (*p == '+' || *p == '-')
		digits[n++] = *p++;
	while ((*p >= '0' && *p <= '9') || (*p == ',' && seen_digit)) {
		if (*p == ',') {
			/* "1,240": 1 to 3 digits first, then groups of 3. */
			if (seen_comma ? group != 3 : group > 3)
				return -1;
			if (!(p[1] >= '0' && p[1] <= '9'))
				return -1;
			seen_comma = 1;
			group = 0;
			p++;
			continue;
		}
		if (n >= sizeof digits - 1)
			return -1;
		digits[n++] = *p++;
		group++;
		seen_digit = 1;
	}
	if (!seen_digit || (seen_comma && group != 3))
		return -1;
	if (*p == '.' && p[1] >= '0' && p[1] <= '9') {
		digits[n++] = *p++;
		while (*p >= '0' && *p <= '9') {
			if (n >= sizeof digits - 1)
				return -1;
			digits[n++] = *p++;
		}
	}
	digits[n] = '\0';
	*out = strtod(digits, NULL);
	if (!isfinite(*out))
		return -1;
	*end = p;
	return 0;
}

/* Whether s[0..len) holds an ASCII space or control character. */
static int
report_has_space(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return 1;
	}
	return 0;
}

int
report_parse_metric(const char *word, struct metric_value *out, char **cause)
{
	const char *eq = strchr(word, '='), *rest;
	size_t name_len, unit_len;
	int shown = (int)utf8_cut(word, strlen(word), 40);

	if (eq == NULL) {
		set_cause(cause, "'%.*s' is not name=value", shown, word);
		return METRIC_NOT_PAIR;
	}
	name_len = (size_t)(eq - word);
	if (name_len == 0 || name_len > METRIC_NAME_MAX ||
	    !utf8_valid(word, name_len) || report_has_space(word, name_len)) {
		set_cause(cause,
			  "metric '%.*s' needs a name of 1 to %d bytes without "
			  "spaces",
			  shown, word, METRIC_NAME_MAX);
		return METRIC_BAD_NAME;
	}
	if (report_parse_number(eq + 1, &out->value, &rest) != 0) {
		set_cause(cause, "metric '%.*s': the value is not a number",
			  shown, word);
		return METRIC_BAD_VALUE;
	}
	unit_len = strlen(rest);
	if (unit_len > METRIC_UNIT_MAX || strchr(rest, '=') != NULL ||
	    !utf8_valid(rest, unit_len) || report_has_space(rest, unit_len) ||
	    (unit_len > 0 && ((*rest >= '0' && *rest <= '9') || *rest == '.' ||
			      *rest == ','))) {
		set_cause(cause, "metric '%.*s': the unit is not valid", shown,
			  word);
		return METRIC_BAD_VALUE;
	}
	memcpy(out->name, word, name_len);
	out->name[name_len] = '\0';
	memcpy(out->unit, rest, unit_len + 1);
	return 0;
}
