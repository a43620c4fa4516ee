/* SPDX-License-Identifier: MIT */
/*
 * test-cmd-table.c: invariants of the command tables, so a new row cannot
 * break help, lookup or translation unnoticed.
 */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "lihui/cmd.h"

static void
test_tables(void **state)
{
	const struct cmd_entry *const *e;
	const struct cmd_sub *s;
	int found_default;

	(void)state;
	for (e = cmd_groups(); *e != NULL; e++) {
		assert_non_null((*e)->name);
		assert_non_null((*e)->help);
		assert_null(strchr((*e)->name, ' '));
		if (e[1] != NULL)
			assert_true(strcmp((*e)->name, e[1]->name) < 0);
		found_default = 0;
		for (s = (*e)->subs; s->name != NULL; s++) {
			assert_non_null(s->usage);
			assert_non_null(s->help);
			assert_non_null(s->exec);
			assert_null(strchr(s->name, ' '));
			assert_true(s->min_args >= 0);
			assert_true(s->max_args < 0 ||
				    s->max_args >= s->min_args);
			assert_true(s->max_args < ARGS_MAX);
			if (s[1].name != NULL)
				assert_true(strcmp(s->name, s[1].name) < 0);
			if (strcmp(s->name, (*e)->default_sub) == 0) {
				found_default = 1;
				assert_int_equal(s->min_args, 0);
			}
			if (s->alias != NULL)
				assert_string_not_equal(s->alias, s->name);
			/* Help and usage are translated (test-catalog checks
			 * the catalog; this checks they are not bare). */
			assert_true(s->help[0] != '\0');
		}
		assert_true(found_default);
	}
}

static void
test_no_alias_collides(void **state)
{
	const struct cmd_entry *const *e;
	const struct cmd_sub *s, *t;

	(void)state;
	for (e = cmd_groups(); *e != NULL; e++) {
		for (s = (*e)->subs; s->name != NULL; s++) {
			for (t = (*e)->subs; t->name != NULL; t++) {
				if (s == t)
					continue;
				assert_string_not_equal(s->name, t->name);
				if (s->alias != NULL) {
					assert_string_not_equal(s->alias,
								t->name);
					if (t->alias != NULL)
						assert_string_not_equal(
						    s->alias, t->alias);
				}
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables),
		cmocka_unit_test(test_no_alias_collides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
