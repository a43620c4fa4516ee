/* SPDX-License-Identifier: MIT */
/*
 * module.h: the network module, loaded only when a chat platform needs it.
 *
 * The platform adapters (Mattermost, Slack) and the code under them (HTTP
 * client, slash-command listener, WebSocket client) live in lihui-net.so,
 * together with the libraries they bring: libcurl, libwebsockets, json-c
 * and the TLS stacks. The console adapter is built into the executable, so
 * a console lihui never maps them (about 6 MB of resident pages).
 *
 * The module is looked for next to the executable (the build tree), then
 * in ../lib/lihui/ relative to it, then in LIHUI_MODULE_DIR (compiled in
 * from the Makefile's LIBDIR). It is opened with RTLD_NOW, so a module that
 * does not match the executable is refused at start, with the reason.
 */
#ifndef LIHUI_MODULE_H
#define LIHUI_MODULE_H

struct module;

/** Open the network module; NULL and *cause when it cannot be loaded. */
struct module *module_open(char **cause);
/** The address of symbol in m; NULL and *cause when it is absent. */
void *module_symbol(struct module *m, const char *symbol, char **cause);
/**
 * Release m (NULL is fine); nothing from it may be used afterwards. The
 * code stays mapped until exit (see module.c).
 */
void module_close(struct module *m);

struct config;

/*
 * In the module: `lihui --register-commands`. Creates or updates lihui's
 * slash commands on the Mattermost team of cfg, prints what it did (and
 * the new commands' tokens) on standard output; the exit status.
 */
#define MODULE_REGISTER_COMMANDS "mattermost_register_commands"
int mattermost_register_commands(const struct config *cfg);

#endif
