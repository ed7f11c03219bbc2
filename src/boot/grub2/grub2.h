/* GRUB 2 script: lexer, parser (AST), interpreter.  Internal.
 * Hand-written: GRUB's own reader (grub-core/script, flex and bison over
 * GRUB's kernel) is no library, and running GRUB itself (grub-emu) would
 * execute the guest's commands. */
#ifndef DL_GRUB2_H
#define DL_GRUB2_H

#include "boot/internal.h"

#define G2_MAX_ARGS 1024          /* words in one command */
#define G2_MAX_WORD (64u << 10)   /* bytes of one expanded word or variable value */
#define G2_MAX_VARS 1024
#define G2_MAX_NEST 64            /* syntactic nesting (if/menuentry/function blocks) */
#define G2_MAX_CALLS 32           /* function call depth */
#define G2_MAX_EXEC_NEST 256      /* statements running inside each other (calls, source, blocks) */
#define G2_MAX_STEPS 200000       /* commands executed in total (loops, recursion) */
#define G2_MAX_FILES 256          /* source/configfile/blscfg reads per parse */
#define G2_MAX_EXPANDED (64u << 20) /* bytes produced by all expansions of one parse */

/* Arena: everything in the AST lives until the parse is over. */
struct g2_chunk;
struct g2_arena {
	struct g2_chunk *head;
};
void *g2_alloc(struct g2_arena *a, size_t n);
char *g2_strndup(struct g2_arena *a, const char *s, size_t n);
void g2_arena_free(struct g2_arena *a);

enum g2_frag_type { G2_TEXT, G2_VAR };
struct g2_frag {
	struct g2_frag *next;
	enum g2_frag_type type;
	bool quoted;
	char *s;        /* text, or variable name */
};
struct g2_word {
	struct g2_word *next;
	struct g2_frag *frags;
	bool plain;     /* one unquoted literal: a keyword candidate */
};

enum g2_node_type { G2_CMD, G2_IF, G2_FUNC, G2_MENU, G2_SUBMENU, G2_FOR, G2_WHILE, G2_UNTIL,
		    G2_BLOCK };
struct g2_clause {
	struct g2_clause *next;
	struct g2_node *cond;   /* NULL: else */
	struct g2_node *body;
};
struct g2_node {
	struct g2_node *next;
	enum g2_node_type type;
	int line;
	const char *file;
	bool negate;                /* "! cmd" */
	struct g2_word *words;      /* CMD argv; MENU/SUBMENU args; FUNC name; FOR var + list */
	struct g2_node *body;
	struct g2_node *cond;       /* WHILE/UNTIL */
	struct g2_clause *clauses;  /* IF */
};

/* Parse buf into a statement list allocated in a.  *out may be NULL for
 * an empty script.  A negative errno with "name:line: ..." in err.  With
 * recover, a top-level statement with a syntax error is dropped with a
 * warning as GRUB does (the first such error copied to *recover) and the
 * parse goes on. */
int g2_parse(struct g2_arena *a, const char *name, const char *buf, size_t len,
	     struct g2_node **out, struct dl_error *err, struct dl_error *recover);

/* lexer */
enum g2_tok { G2T_EOF, G2T_WORD, G2T_EOL, G2T_LBRACE, G2T_RBRACE };
struct g2_lexer {
	struct g2_arena *a;
	const char *name, *buf;
	size_t len, pos;
	int line;
	int words_on_line;
	struct dl_error *err;
	/* one token of lookahead */
	bool have;
	enum g2_tok tok;
	struct g2_word *word;
	int tok_line;
};
int g2_lex_peek(struct g2_lexer *lx);   /* the token type, or a negative errno */
void g2_lex_consume(struct g2_lexer *lx);

/* interpreter state */
struct g2_var {
	char *name, *value;
};
struct g2_scope {
	struct g2_scope *up;
	struct g2_var *vars;
	size_t n, cap;
};
struct g2_func {
	struct g2_func *next;
	char *name;
	struct g2_node *body;
};
struct g2_pending {
	int entry;
	struct g2_node *body;
	char **argv;    /* arena */
	int argc;
	const char *file;
	int line;
};
enum g2_unwind { G2_NONE = 0, G2_RETURN, G2_BREAK, G2_CONTINUE, G2_EXIT };

struct g2 {
	const struct dl_boot_io *io;
	struct dl_boot_config *cfg;
	struct dl_error *err;
	struct g2_arena arena;
	struct g2_scope global;
	struct g2_scope *scope;     /* innermost; sets go here */
	struct g2_func *funcs;
	char **pargv;               /* positional parameters $1.. */
	int pargc;
	int src_depth, calls, nest, files;
	unsigned long steps;
	size_t expanded;            /* bytes produced by expansions so far */
	int status;                 /* $? */
	enum g2_unwind unwind;
	int loops;                  /* loop nesting, for break/continue */
	int parent, depth;          /* current submenu */
	struct g2_pending *pending;
	size_t npending, cappending;
	int cur;                    /* entry whose body runs, -1 at top level */
	bool cur_initrd_set;
	const char *file;           /* current file, for messages */
	int line;
	const char *self;           /* io->self_dev */
	bool replaced;              /* a top-level configfile replaced the menu */
	struct dl_error syntax;     /* the first syntax error GRUB would have skipped */
	char *src_stack[DL_BOOT_MAX_DEPTH + 1];
};

const char *g2_get(struct g2 *g, const char *name);
int g2_set(struct g2 *g, const char *name, const char *value);
void g2_unset(struct g2 *g, const char *name);
void g2_scope_free(struct g2_scope *s);
int g2_exec_list(struct g2 *g, struct g2_node *n);
/* Run a file's script in the current context (source).  DL_ABSENT when it
 * does not exist, cannot be read or is nested too deep (a warning; status
 * 1), negative errno fatal. */
int g2_run_file(struct g2 *g, const char *spec, bool configfile);
int g2_run_builtin(struct g2 *g, int argc, char **argv, bool *found);
/* Split "(dev)path" against $root: malloc'd dev (NULL = self) and path. */
void g2_resolve(struct g2 *g, const char *spec, char **dev, char **path);

#endif
